//! HTTP/1.1 on loopback: keep-alive connections, and a fixed-time load of search requests.

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use tokio::{
    io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader},
    net::TcpStream,
};

pub struct Load {
    pub requests: usize,
    pub errors: usize,
    pub elapsed: Duration,
    pub latencies: Vec<Duration>,
}

impl Load {
    pub fn per_second(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }
}

/// One keep-alive connection: a request at a time, each answer read whole.
pub struct Connection {
    address: String,
    stream: BufReader<TcpStream>,
}

/// A response's status and body.
pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Answer {
    /// The body as text, cut to `limit` characters, for error messages.
    pub fn excerpt(&self, limit: usize) -> String {
        String::from_utf8_lossy(&self.body)
            .chars()
            .take(limit)
            .collect()
    }
}

impl Connection {
    pub async fn open(address: &str) -> anyhow::Result<Self> {
        let stream = TcpStream::connect(address).await?;
        // Requests are written whole; Nagle's delay would only add to every latency.
        stream.set_nodelay(true)?;
        Ok(Self {
            address: address.to_owned(),
            stream: BufReader::new(stream),
        })
    }

    /// Sends one request, with a bearer token and a JSON body if given, and reads the answer.
    pub async fn send(
        &mut self,
        method: &str,
        path: &str,
        token: Option<&str>,
        json: Option<&str>,
    ) -> anyhow::Result<Answer> {
        let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\n", self.address);
        if let Some(token) = token {
            request.push_str(&format!("Authorization: Bearer {token}\r\n"));
        }
        if let Some(json) = json {
            request.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{json}",
                json.len()
            ));
        } else if method == "POST" {
            request.push_str("Content-Length: 0\r\n\r\n");
        } else {
            request.push_str("\r\n");
        }
        self.stream.get_mut().write_all(request.as_bytes()).await?;
        read_response(&mut self.stream).await
    }
}

/// Sends the paths round-robin over `connections` keep-alive connections for `duration`.
pub async fn run(
    address: String,
    paths: Vec<String>,
    connections: usize,
    duration: Duration,
) -> anyhow::Result<Load> {
    let paths = Arc::new(paths);
    let next = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + duration;
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..connections {
        let (address, paths, next) = (address.clone(), Arc::clone(&paths), Arc::clone(&next));
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0;
            let mut connection = Connection::open(&address).await?;
            while Instant::now() < deadline {
                let path = &paths[next.fetch_add(1, Ordering::Relaxed) % paths.len()];
                let sent = Instant::now();
                let answer = connection.send("GET", path, None, None).await?;
                latencies.push(sent.elapsed());
                if answer.status != 200 {
                    errors += 1;
                }
            }
            anyhow::Ok((latencies, errors))
        }));
    }
    let mut load = Load {
        requests: 0,
        errors: 0,
        elapsed: Duration::ZERO,
        latencies: Vec::new(),
    };
    for worker in workers {
        let (latencies, errors) = worker.await??;
        load.requests += latencies.len();
        load.errors += errors;
        load.latencies.extend(latencies);
    }
    load.elapsed = started.elapsed();
    Ok(load)
}

/// Reads one response, its body sized by `Content-Length` or sent in chunks.
async fn read_response(stream: &mut BufReader<TcpStream>) -> anyhow::Result<Answer> {
    let mut status = 0;
    let mut length = 0usize;
    let mut chunked = false;
    let mut line = String::new();
    loop {
        line.clear();
        anyhow::ensure!(stream.read_line(&mut line).await? > 0, "connection closed");
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            break;
        }
        if let Some(code) = trimmed.strip_prefix("HTTP/1.1 ") {
            status = code.get(..3).and_then(|c| c.parse().ok()).unwrap_or(0);
        } else if let Some((name, value)) = trimmed.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse()?;
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                chunked = value.trim().eq_ignore_ascii_case("chunked");
            }
        }
    }
    let mut body = Vec::new();
    if !chunked {
        body.resize(length, 0);
        stream.read_exact(&mut body).await?;
        return Ok(Answer { status, body });
    }
    loop {
        line.clear();
        anyhow::ensure!(stream.read_line(&mut line).await? > 0, "connection closed");
        let size = line.trim_end().split(';').next().unwrap_or_default();
        let size = usize::from_str_radix(size.trim(), 16)?;
        if size == 0 {
            // Trailers, if any, end with an empty line.
            loop {
                line.clear();
                anyhow::ensure!(stream.read_line(&mut line).await? > 0, "connection closed");
                if line.trim_end().is_empty() {
                    return Ok(Answer { status, body });
                }
            }
        }
        let start = body.len();
        body.resize(start + size, 0);
        stream.read_exact(&mut body[start..]).await?;
        let mut crlf = [0u8; 2];
        stream.read_exact(&mut crlf).await?;
    }
}
