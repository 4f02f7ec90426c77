//! The server as it runs in production, in a process of its own, under the same load: its
//! memory is then the server's alone, not that of a program that also built the corpus.

use std::{
    path::Path,
    process::Stdio,
    time::{Duration, Instant},
};

use tokio::{io::AsyncWriteExt, net::TcpStream, process::Command};

use crate::http::{self, Load};

/// A process's resident memory as `/proc/PID/status` tells it, in MB.
#[derive(Default)]
pub struct Memory {
    /// The most it has held since it started, or since its record was reset.
    pub peak: f64,
    /// Now: its own memory, and pages of memory-mapped files.
    pub anonymous: f64,
    pub files: f64,
}

impl Memory {
    /// The memory of process `pid` ("self" for this one).
    pub fn of(pid: &str) -> std::io::Result<Self> {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
                .map_or(0.0, |kb| kb / 1024.0)
        };
        Ok(Self {
            peak: field("VmHWM:"),
            anonymous: field("RssAnon:"),
            files: field("RssFile:"),
        })
    }
}

pub struct Served {
    pub load: Load,
    pub memory: Memory,
    /// The mapped pages by kind of file (an index file's extension, or the program), in MB,
    /// largest first.
    pub mapped: Vec<(String, f64)>,
}

/// Starts `kintsugi serve` on `data_dir`, waits until it answers, loads it with `paths` and
/// reads its memory from `/proc` before stopping it.
pub async fn serve_and_load(
    binary: &Path,
    data_dir: &Path,
    paths: Vec<String>,
    connections: usize,
    duration: Duration,
) -> anyhow::Result<Served> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let address = format!("127.0.0.1:{port}");
    let mut child = Command::new(binary)
        .arg("serve")
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--bind")
        .arg(&address)
        .arg("--read-access")
        .arg("open")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()?;
    let pid = child
        .id()
        .ok_or_else(|| anyhow::anyhow!("the server exited at once"))?;
    let started = Instant::now();
    while !answers(&address).await {
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(300),
            "the server did not start"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let load = http::run(address, paths, connections, duration).await?;
    let memory = Memory::of(&pid.to_string())?;
    let mapped = mapped_by_kind(&std::fs::read_to_string(format!("/proc/{pid}/smaps"))?);
    child.kill().await?;
    Ok(Served {
        load,
        memory,
        mapped,
    })
}

/// Sums the resident pages of each mapped file in `smaps` by the file's kind: tantivy names
/// its files by what they hold (`.idx` postings, `.pos` positions, `.store` stored text,
/// `.term` dictionaries, `.fast` columns, `.fieldnorm`), anything else counts as "program".
fn mapped_by_kind(smaps: &str) -> Vec<(String, f64)> {
    let mut kinds: std::collections::HashMap<String, f64> = std::collections::HashMap::new();
    let mut kind: Option<String> = None;
    for line in smaps.lines() {
        let mut words = line.split_whitespace();
        let first = words.next().unwrap_or_default();
        if first.contains('-') && !first.ends_with(':') {
            // A mapping's header: address range, permissions, offset, device, inode, path.
            kind = words
                .nth(4)
                .filter(|path| path.starts_with('/'))
                .map(|path| {
                    let name = path.rsplit('/').next().unwrap_or(path);
                    match name.rsplit_once('.') {
                        Some((_, extension)) if path.contains("/index/") => extension.to_owned(),
                        _ => "program".to_owned(),
                    }
                });
        } else if first == "Rss:"
            && let Some(kind) = &kind
        {
            let kb = words
                .next()
                .and_then(|kb| kb.parse::<f64>().ok())
                .unwrap_or(0.0);
            *kinds.entry(kind.clone()).or_default() += kb / 1024.0;
        }
    }
    let mut kinds: Vec<(String, f64)> = kinds.into_iter().collect();
    kinds.sort_by(|a, b| b.1.total_cmp(&a.1));
    kinds
}

async fn answers(address: &str) -> bool {
    let Ok(mut stream) = TcpStream::connect(address).await else {
        return false;
    };
    let request = format!("GET /api/v1/search?q=x HTTP/1.1\r\nHost: {address}\r\n\r\n");
    if stream.write_all(request.as_bytes()).await.is_err() {
        return false;
    }
    let mut reader = tokio::io::BufReader::new(stream);
    let mut line = String::new();
    tokio::io::AsyncBufReadExt::read_line(&mut reader, &mut line)
        .await
        .is_ok_and(|_| line.starts_with("HTTP/1.1 200"))
}
