//! Crash recovery: the server is killed with SIGKILL during a burst of submissions and
//! publications, restarted, and its index must then equal the database — nothing lost,
//! nothing duplicated.
//!
//! The server runs in a child process: the `crash_child` program of this package.

use std::{
    collections::BTreeSet,
    process::Stdio,
    time::{Duration, Instant},
};

use kintsugi::{
    config::{Config, DatabaseUrl},
    db,
    services::import::import_jsonl,
};
use kintsugi_tests::{each_database, new_report, publish_report};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::{Value, json};
use tokio::{
    io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader},
    process::{Child, Command},
};

fn config(data_dir: &str, url: Option<String>) -> Config {
    let mut config = Config::with_data_dir(data_dir);
    config.database.url = url.map(DatabaseUrl);
    config
}

struct Server {
    child: Child,
    address: String,
}

async fn start(data_dir: &str, url: &Option<String>) -> anyhow::Result<Server> {
    let mut command = Command::new(env!("CARGO_BIN_EXE_crash_child"));
    command
        .arg(data_dir)
        .args(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true);
    let mut child = command.spawn()?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| anyhow::anyhow!("no stdout"))?;
    let mut lines = BufReader::new(stdout).lines();
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        let Some(line) = tokio::time::timeout(Duration::from_secs(60), lines.next_line()).await??
        else {
            break;
        };
        if let Some(url) = line.strip_prefix("LISTENING http://") {
            // Keep draining stdout so the child never blocks on a full pipe.
            tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
            return Ok(Server {
                child,
                address: url.trim_end_matches('/').to_owned(),
            });
        }
    }
    anyhow::bail!("the server did not start")
}

/// One HTTP/1.1 request over a fresh connection; returns the status and the body.
async fn http(
    address: &str,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> anyhow::Result<(u16, Value)> {
    let body = body.map(Value::to_string).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = tokio::net::TcpStream::connect(address).await?;
    stream.write_all(request.as_bytes()).await?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await?;
    let status = answer.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let json = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b)
        .unwrap_or_default();
    let json = if answer
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(json)
    } else {
        json.to_owned()
    };
    Ok((
        status,
        serde_json::from_str(json.trim()).unwrap_or(Value::Null),
    ))
}

fn dechunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || after.len() < size {
            break;
        }
        out.push_str(&after[..size]);
        rest = after[size..].trim_start_matches("\r\n");
    }
    out
}

async fn published_in_database(db: &DatabaseConnection) -> anyhow::Result<BTreeSet<String>> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT id FROM reports WHERE status = 'published'",
        ))
        .await?;
    rows.iter()
        .map(|row| Ok(row.try_get::<String>("", "id")?))
        .collect()
}

async fn published_in_index(address: &str) -> anyhow::Result<(u64, Vec<String>)> {
    let mut refs = Vec::new();
    let mut total = 0;
    loop {
        let (status, body) = http(
            address,
            "GET",
            &format!("/api/v1/search?sort=newest&limit=100&offset={}", refs.len()),
            None,
        )
        .await?;
        anyhow::ensure!(status == 200, "search answered {status}: {body}");
        total = body["total"].as_u64().unwrap_or(total);
        let page: Vec<String> = body["hits"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|h| h["ref"].as_str().map(str::to_owned))
            .collect();
        if page.is_empty() {
            return Ok((total, refs));
        }
        refs.extend(page);
    }
}

/// A burst of work against the running server and its database: anonymous submissions over
/// HTTP, some of them published, and published imports.
async fn burst(address: String, db: DatabaseConnection, round: usize) -> anyhow::Result<()> {
    for n in 0..12 {
        let (status, body) = http(
            &address,
            "POST",
            "/api/v1/reports",
            Some(&new_report(&format!("burst {round}-{n}"))),
        )
        .await
        .unwrap_or((0, Value::Null));
        if status == 201
            && n % 2 == 0
            && let Some(report_ref) = body["ref"].as_str()
        {
            publish_report(&db, report_ref).await?;
        }
        let line = json!({"title": format!("imported {round}-{n}"), "narrative": "from a published source"});
        import_jsonl(
            &db,
            std::io::Cursor::new(format!("{line}\n")),
            true,
            &|_| {},
        )
        .await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_index_converges_to_the_database_after_kill_9() -> anyhow::Result<()> {
    each_database(async |url| {
        let data_dir = tempfile::tempdir()?;
        let dir = data_dir.path().to_string_lossy().into_owned();
        let mut server = start(&dir, &url).await?;
        let db = db::connect(&config(&dir, url.clone())).await?;

        let work = tokio::spawn(burst(server.address.clone(), db.clone(), 1));
        tokio::time::sleep(Duration::from_millis(700)).await;
        server.child.start_kill()?; // SIGKILL: no shutdown, no final commit.
        server.child.wait().await?;
        // The database keeps changing while the server is down, as with other instances.
        let _ = work.await;
        burst("127.0.0.1:9".to_owned(), db.clone(), 2).await?;

        let server = start(&dir, &url).await?;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let (_, health) = http(&server.address, "GET", "/healthz", None).await?;
            if health["index"]["lag"] == 0 {
                break;
            }
            anyhow::ensure!(
                Instant::now() < deadline,
                "the index did not catch up: {health}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }

        let expected = published_in_database(&db).await?;
        let (total, found) = published_in_index(&server.address).await?;
        let unique: BTreeSet<String> = found.iter().cloned().collect();
        assert!(
            expected.len() >= 12,
            "the burst published reports ({})",
            expected.len()
        );
        assert_eq!(found.len(), unique.len(), "a report is indexed twice");
        assert_eq!(
            total as usize,
            expected.len(),
            "the index counts what the database holds"
        );
        assert_eq!(
            unique, expected,
            "the index holds exactly the published reports"
        );
        Ok(())
    })
    .await
}
