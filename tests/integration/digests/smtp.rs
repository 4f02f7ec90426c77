//! A real SMTP server for the tests: Debian's aiosmtpd, run by a small script that writes
//! each message it accepts to a folder, where the test reads it back.

use std::{path::Path, process::Stdio, time::Duration};

use tempfile::TempDir;
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::{Child, Command},
};

const SCRIPT: &str = r#"
import asyncio, os, socket, sys
from aiosmtpd.smtp import SMTP

class Save:
    def __init__(self, folder, delay):
        self.folder, self.delay, self.count = folder, delay, 0

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        self.count += 1
        name = os.path.join(self.folder, "%05d.eml" % self.count)
        with open(name + ".part", "wb") as f:
            f.write(("X-Envelope-To: %s\r\n" % ",".join(envelope.rcpt_tos)).encode())
            f.write(envelope.original_content or envelope.content)
        os.replace(name + ".part", name)
        return "250 Message accepted"

async def main():
    folder, delay = sys.argv[1], float(sys.argv[2])
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    handler = Save(folder, delay)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, hostname="localhost"), sock=sock)
    print(sock.getsockname()[1], flush=True)
    await server.serve_forever()

asyncio.run(main())
"#;

/// One message as the server received it.
#[derive(Clone, Debug)]
pub struct Received {
    pub to: String,
    pub raw: String,
}

pub struct SmtpServer {
    pub port: u16,
    folder: TempDir,
    _child: Child,
}

impl SmtpServer {
    /// Starts a server that waits `delay` before accepting each message.
    pub async fn start(delay: Duration) -> anyhow::Result<Self> {
        let folder = tempfile::tempdir()?;
        let script = folder.path().join("server.py");
        std::fs::write(&script, SCRIPT)?;
        let inbox = folder.path().join("inbox");
        std::fs::create_dir(&inbox)?;
        // Debian's python, which has the packaged aiosmtpd, even where another comes first.
        let python = if Path::new("/usr/bin/python3").exists() {
            "/usr/bin/python3"
        } else {
            "python3"
        };
        let mut child = Command::new(python)
            .arg(&script)
            .arg(&inbox)
            .arg(delay.as_secs_f64().to_string())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| {
                anyhow::anyhow!(
                    "cannot start python3 with aiosmtpd (apt install python3-aiosmtpd): {e}"
                )
            })?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| anyhow::anyhow!("no output from the SMTP server"))?;
        let mut line = String::new();
        tokio::time::timeout(
            Duration::from_secs(20),
            BufReader::new(stdout).read_line(&mut line),
        )
        .await??;
        let port = line.trim().parse().map_err(|_| {
            anyhow::anyhow!(
                "the SMTP server did not start (is python3-aiosmtpd installed?): {line:?}"
            )
        })?;
        Ok(Self {
            port,
            folder,
            _child: child,
        })
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    fn inbox(&self) -> std::path::PathBuf {
        self.folder.path().join("inbox")
    }

    /// Every message received so far, in order.
    pub fn messages(&self) -> anyhow::Result<Vec<Received>> {
        read_inbox(&self.inbox())
    }

    /// Waits until at least `count` messages have arrived.
    pub async fn wait_for(&self, count: usize) -> anyhow::Result<Vec<Received>> {
        for _ in 0..200 {
            let messages = self.messages()?;
            if messages.len() >= count {
                return Ok(messages);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        anyhow::bail!(
            "only {} of {count} messages arrived",
            self.messages()?.len()
        )
    }
}

fn read_inbox(folder: &Path) -> anyhow::Result<Vec<Received>> {
    let mut names: Vec<_> = std::fs::read_dir(folder)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|path| {
            let raw = std::fs::read_to_string(&path)?;
            let to = raw
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("X-Envelope-To: "))
                .unwrap_or_default()
                .to_owned();
            Ok(Received { to, raw })
        })
        .collect()
}
