//! Finding Chromium and chromedriver, starting chromedriver on a free port, and opening a
//! headless session on it.

use std::{path::PathBuf, process::Stdio, time::Duration};

use anyhow::Context;
use fantoccini::{Client, ClientBuilder};
use tempfile::TempDir;
use tokio::{
    io::AsyncReadExt,
    process::{Child, Command},
    sync::{Semaphore, SemaphorePermit},
};

use super::{CHROMEDRIVER_ENV, CHROMIUM_ENV, REQUIRED_ENV, required};

/// The two programs a journey needs.
pub struct Tools {
    chromium: PathBuf,
    chromedriver: PathBuf,
}

impl Tools {
    /// Both programs, or `None` (after saying why) when one is missing and the run does not
    /// require them.
    pub fn find() -> anyhow::Result<Option<Self>> {
        let chromium = program(CHROMIUM_ENV, &["chromium", "chromium-browser"]);
        let chromedriver = program(CHROMEDRIVER_ENV, &["chromedriver"]);
        match (chromium, chromedriver) {
            (Some(chromium), Some(chromedriver)) => Ok(Some(Self {
                chromium,
                chromedriver,
            })),
            (chromium, _) => {
                let missing = if chromium.is_none() {
                    "Chromium"
                } else {
                    "chromedriver"
                };
                let message = format!(
                    "{missing} is not installed (Debian: apt-get install chromium chromium-driver)"
                );
                anyhow::ensure!(!required(), "{message}; {REQUIRED_ENV}=required");
                eprintln!("skipped: browser test, because {message}");
                Ok(None)
            }
        }
    }
}

/// The program named by `env`, or the first of `names` found on `PATH`.
fn program(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(env) {
        let path = PathBuf::from(path);
        return path.is_file().then_some(path);
    }
    let paths = std::env::var_os("PATH")?;
    names.iter().find_map(|name| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|path| path.is_file())
    })
}

/// Waits for this process's turn to run a browser.
pub async fn one_at_a_time() -> anyhow::Result<SemaphorePermit<'static>> {
    static TURNS: Semaphore = Semaphore::const_new(1);
    Ok(TURNS.acquire().await?)
}

/// A running chromedriver, in its own process group so that dropping it ends the browsers it
/// started as well, even when a test fails half-way.
pub struct Driver {
    child: Child,
    pub url: String,
    profile: TempDir,
}

impl Driver {
    pub async fn start(tools: &Tools) -> anyhow::Result<Self> {
        let mut child = Command::new(&tools.chromedriver)
            .arg("--port=0")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .process_group(0)
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("while starting {}", tools.chromedriver.display()))?;
        let mut stdout = child.stdout.take().context("chromedriver has no stdout")?;
        let port = tokio::time::timeout(Duration::from_secs(20), announced_port(&mut stdout))
            .await
            .context("chromedriver did not start within 20 seconds")??;
        // Keep reading so that chromedriver never blocks on a full pipe.
        tokio::spawn(async move {
            let mut sink = Vec::new();
            let _ = stdout.read_to_end(&mut sink).await;
        });
        Ok(Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
            profile: tempfile::tempdir()?,
        })
    }

    /// A new headless Chromium session with a throw-away profile; `javascript: false` turns
    /// off the pages' scripts (WebDriver's own still run).
    pub async fn session(&self, tools: &Tools, javascript: bool) -> anyhow::Result<Client> {
        let capabilities = serde_json::json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": tools.chromium,
                "args": [
                    "--headless",
                    // Root in a container has no user namespaces for the sandbox.
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--hide-scrollbars",
                    "--force-device-scale-factor=1",
                    format!("--user-data-dir={}", self.profile.path().display()),
                ],
                "prefs": {
                    "profile.managed_default_content_settings.javascript": if javascript { 1 } else { 2 },
                },
            },
        });
        let serde_json::Value::Object(capabilities) = capabilities else {
            anyhow::bail!("capabilities must be an object");
        };
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .context("while opening a Chromium session")?;
        Ok(client)
    }
}

/// Sends one Chrome DevTools command to the session's browser, through chromedriver's
/// `goog/cdp/execute` extension (for what WebDriver has no command for, like print media).
pub async fn devtools(
    driver_url: &str,
    session: &str,
    command: &str,
    params: serde_json::Value,
) -> anyhow::Result<()> {
    use tokio::io::AsyncWriteExt;
    let authority = driver_url.trim_start_matches("http://");
    let body = serde_json::json!({ "cmd": command, "params": params }).to_string();
    let request = format!(
        "POST /session/{session}/goog/cdp/execute HTTP/1.1\r\nHost: {authority}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = tokio::net::TcpStream::connect(authority).await?;
    stream.write_all(request.as_bytes()).await?;
    // The status line is all that matters; chromedriver may keep the connection open.
    let mut response = Vec::new();
    let mut buffer = [0u8; 1024];
    let read_head = async {
        while !response.windows(4).any(|w| w == b"\r\n\r\n") {
            let read = stream.read(&mut buffer).await?;
            anyhow::ensure!(read > 0, "chromedriver closed the connection");
            response.extend_from_slice(&buffer[..read]);
        }
        Ok(())
    };
    tokio::time::timeout(Duration::from_secs(10), read_head)
        .await
        .with_context(|| format!("{command}: chromedriver did not answer"))??;
    let response = String::from_utf8_lossy(&response);
    anyhow::ensure!(
        response.starts_with("HTTP/1.1 200"),
        "{command} failed: {response}"
    );
    Ok(())
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The group holds chromedriver and every Chromium process it started.
        if let Some(pid) = self.child.id() {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{pid}")])
                .stderr(Stdio::null())
                .status();
        }
    }
}

/// Reads chromedriver's greeting until it names its port ("… started successfully on port
/// 41233.", with no line end).
async fn announced_port(stdout: &mut tokio::process::ChildStdout) -> anyhow::Result<u16> {
    let mut seen = String::new();
    let mut buffer = [0u8; 1024];
    loop {
        let read = stdout.read(&mut buffer).await?;
        anyhow::ensure!(read > 0, "chromedriver exited: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buffer[..read]));
        let port = seen
            .split_once("started successfully on port ")
            .and_then(|(_, rest)| rest.split_once('.'))
            .and_then(|(digits, _)| digits.parse().ok());
        if let Some(port) = port {
            return Ok(port);
        }
    }
}
