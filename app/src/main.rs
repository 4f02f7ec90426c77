//! The `kintsugi` binary: parses the command line, starts logging, and calls the library.

use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use kintsugi::{
    cli::{self, Cli, Command, LogFormat},
    db, server, telemetry,
};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init(cli.global.log_format == LogFormat::Json);
    match run(cli).await {
        Ok(code) => code,
        Err(error) => {
            eprintln!("kintsugi: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = cli.global.config();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let bind = config.http.bind;
            let backend = if config.is_sqlite() {
                format!("SQLite in {}", config.data_dir.display())
            } else {
                "the configured database".to_owned()
            };
            let (state, background) = server::build_state(config).await?;
            let no_accounts = kintsugi::services::accounts::list(&state.db)
                .await?
                .is_empty();
            let acceptor = server::bind(bind)
                .await
                .with_context(|| format!("while listening on {bind}"))?;
            let url = server::local_url(&acceptor);
            println!(
                "Kintsugi is ready: open {url} in your browser ({backend}). Press Ctrl+C to stop."
            );
            if no_accounts {
                println!(
                    "No staff accounts yet: anyone can log a mistake; to read and moderate, create \
                     the first admin with `kintsugi user add NAME --role admin`."
                );
            }
            tracing::info!(%url, "listening");
            server::serve(acceptor, state, shutdown_signal()).await?;
            background.stop().await;
            tracing::info!("stopped");
        }
        Command::Migrate => {
            open_database(&config).await?;
            println!("The database schema is up to date.");
        }
        Command::Import { publish, file } => {
            let connection = open_database(&config).await?;
            let complete = cli::import(&config, &connection, &file, publish).await?;
            if !complete {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Demo => {
            let connection = open_database(&config).await?;
            cli::demo(&config, &connection).await?;
        }
        Command::User { command } => {
            let connection = open_database(&config).await?;
            cli::users(&connection, command).await?;
        }
        Command::Guidelines { command } => {
            let connection = open_database(&config).await?;
            if !cli::guidelines(&config, &connection, command).await? {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Patterns { json } => {
            let connection = open_database(&config).await?;
            cli::patterns(&config, &connection, json).await?;
        }
        Command::Suggestions { json } => {
            let connection = open_database(&config).await?;
            cli::suggestions(&config, &connection, json).await?;
        }
        Command::Reindex => {
            let connection = open_database(&config).await?;
            cli::reindex(&config, &connection).await?;
        }
        Command::Trends { command } => {
            let connection = open_database(&config).await?;
            cli::trends(&connection, command).await?;
        }
        Command::Backup { dest } => {
            if !cli::backup(&config, &dest).await? {
                return Ok(ExitCode::from(1));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn open_database(
    config: &kintsugi::config::Config,
) -> anyhow::Result<sea_orm::DatabaseConnection> {
    let connection = db::connect(config).await?;
    db::migrate(&connection)
        .await
        .context("while applying migrations")?;
    Ok(connection)
}

async fn shutdown_signal() {
    if let Err(error) = tokio::signal::ctrl_c().await {
        tracing::warn!(%error, "cannot listen for Ctrl+C; stop the process another way");
        std::future::pending::<()>().await;
    }
}
