//! The server that the crash test starts in a child process and kills: the real app on the
//! data directory (and database URL, if any) named by its arguments, with reading open.

use kintsugi::{
    config::{Config, DatabaseUrl, ReadAccess},
    server,
};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let data_dir = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: crash_child DATA_DIR [DATABASE_URL]"))?;
    let mut config = Config::with_data_dir(data_dir);
    config.database.url = args.next().map(DatabaseUrl);
    // The check reads the index through the search API, without an account.
    config.access.read_access = ReadAccess::Open;
    let (state, _background) = server::build_state(config).await?;
    let acceptor = server::bind("127.0.0.1:0".parse()?).await?;
    println!("LISTENING {}", server::local_url(&acceptor));
    server::serve(acceptor, state, std::future::pending()).await?;
    Ok(())
}
