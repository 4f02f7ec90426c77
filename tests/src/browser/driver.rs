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
    url: String,
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

    /// A new headless Chromium session with a throw-away profile.
    pub async fn session(&self, tools: &Tools) -> anyhow::Result<Client> {
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
