//! The embedded styles and script, and the browser's cache of them.
//!
//! Asked over a real socket: the in-process client does not fill in the original URI that
//! the static files endpoint reads.

use kintsugi_tests::browser::Site;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

#[tokio::test]
async fn a_cached_asset_is_revalidated_not_refused() -> anyhow::Result<()> {
    let site = Site::start().await?;
    for path in ["/static/style.css", "/static/app.js"] {
        let first = get(&site, path, None).await?;
        anyhow::ensure!(first.starts_with("HTTP/1.1 200"), "{path}: {first}");
        let etag = first
            .lines()
            .find_map(|line| line.strip_prefix("etag: "))
            .ok_or_else(|| anyhow::anyhow!("{path} has no ETag: {first}"))?;
        let again = get(&site, path, Some(etag)).await?;
        anyhow::ensure!(again.starts_with("HTTP/1.1 304"), "{path} again: {again}");
    }
    Ok(())
}

/// The status line and headers of a GET, sent by hand.
async fn get(site: &Site, path: &str, etag: Option<&str>) -> anyhow::Result<String> {
    let address = site.url("");
    let authority = address.trim_start_matches("http://");
    let mut stream = TcpStream::connect(authority).await?;
    let condition = etag
        .map(|etag| format!("If-None-Match: {etag}\r\n"))
        .unwrap_or_default();
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: {authority}\r\n{condition}Connection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    let response = String::from_utf8_lossy(&response);
    Ok(response
        .split("\r\n\r\n")
        .next()
        .unwrap_or_default()
        .replace("\r\n", "\n"))
}
