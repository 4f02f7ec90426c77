//! The anonymity requirements of DESIGN.md, each with a test that fails on a regression.

use kintsugi::{config::Config, server};
use kintsugi_tests::{
    Backend, contains_bytes, each_backend, files_under, new_report, stored_bytes,
};
use poem::http::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::{json, logs_of_this_test, submit};

const AGENT: &str = "KintsugiMarkerAgent/7.7";
const ADDRESS: &str = "203.0.113.77";
const COOKIE: &str = "marker-cookie-value-42";

fn receipt_forms(receipt: &str) -> Vec<String> {
    let bare = receipt.replace('-', "");
    vec![receipt.to_owned(), bare.to_lowercase(), bare.to_uppercase()]
}

#[tokio::test]
async fn nothing_about_the_sender_is_stored_or_logged() -> anyhow::Result<()> {
    let logs = kintsugi_tests::captured_logs();
    each_backend(async |app| {
        app.client
            .get("/api/v1/search?q=wrong")
            .header("user-agent", AGENT)
            .send()
            .await
            .assert_status_is_ok();
        let response = app
            .client
            .post("/api/v1/reports")
            .header("user-agent", AGENT)
            .header("x-forwarded-for", ADDRESS)
            .header("x-real-ip", ADDRESS)
            .header("cookie", format!("session={COOKIE}"))
            .body_json(&new_report("Sent to the wrong list"))
            .send()
            .await;
        response.assert_status(StatusCode::CREATED);
        let body = json(response).await?;
        let receipt = body["receipt"].as_str().unwrap_or_default().to_owned();
        let report_ref = body["ref"].as_str().unwrap_or_default().to_owned();

        // The page form too, as if signed in elsewhere on the site.
        app.client
            .post("/report")
            .header("user-agent", AGENT)
            .header("x-forwarded-for", ADDRESS)
            .header("cookie", format!("session={COOKIE}"))
            .form(&[
                ("title", "Page"),
                ("narrative", "n"),
                ("channel", "email"),
                ("impact", "minor"),
            ])
            .send()
            .await
            .assert_status_is_ok();

        let stored = stored_bytes(&app).await?;
        assert!(
            contains_bytes(&stored, b"Sent to the wrong list"),
            "the dump sees the report"
        );
        let mut secrets = vec![AGENT.to_owned(), ADDRESS.to_owned(), COOKIE.to_owned()];
        secrets.extend(receipt_forms(&receipt));
        for secret in &secrets {
            assert!(
                !contains_bytes(&stored, secret.as_bytes()),
                "{secret} is stored ({:?})",
                app.backend
            );
        }

        let logged = logs.contents();
        assert!(
            contains_bytes(&logged, b"http.route=/api/v1/search"),
            "the access log is captured"
        );
        secrets.push(report_ref);
        for secret in &secrets {
            assert!(
                !contains_bytes(&logged, secret.as_bytes()),
                "{secret} is logged"
            );
        }
        Ok(())
    })
    .await
}

#[tokio::test]
async fn receipts_are_stored_only_as_argon2id_hashes() -> anyhow::Result<()> {
    each_backend(async |app| {
        let (report_ref, receipt) = submit(&app, "Embargo").await?;
        // 28 characters of a 32-letter alphabet: 140 bits.
        let bare = receipt.replace('-', "");
        assert_eq!(bare.len(), 28);
        assert!(bare.chars().all(|c| c.is_ascii_alphanumeric()));

        let db = &app.state.db;
        let row = db
            .query_one_raw(Statement::from_sql_and_values(
                db.get_database_backend(),
                match app.backend {
                    Backend::Sqlite => "SELECT receipt_hash FROM reports WHERE id = ?",
                    Backend::Postgres => "SELECT receipt_hash FROM reports WHERE id = $1",
                },
                [report_ref.into()],
            ))
            .await?
            .ok_or_else(|| anyhow::anyhow!("report not stored"))?;
        let hash: String = row.try_get("", "receipt_hash")?;
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        for form in receipt_forms(&receipt) {
            assert!(!hash.contains(&form));
        }
        Ok(())
    })
    .await
}

#[tokio::test]
async fn refs_are_random_not_sequential() -> anyhow::Result<()> {
    each_backend(async |app| {
        let mut refs = Vec::new();
        for n in 0..12 {
            refs.push(submit(&app, &format!("report {n}")).await?.0);
        }
        let mut unique = refs.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), refs.len());
        // In submission order they are not sorted (a 1 in 479,001,600 chance if random)...
        assert_ne!(unique, refs, "refs follow submission order");
        // ...and neighbours differ in most places, as random strings do.
        for pair in refs.windows(2) {
            let same = pair[0]
                .chars()
                .zip(pair[1].chars())
                .filter(|(a, b)| a == b)
                .count();
            assert!(same < 6, "{} and {} look related", pair[0], pair[1]);
        }
        Ok(())
    })
    .await
}

#[tokio::test]
async fn no_table_keeps_a_time_of_day() -> anyhow::Result<()> {
    each_backend(async |app| {
        submit(&app, "dated").await?;
        let db = &app.state.db;
        let backend = db.get_database_backend();
        let sql = match app.backend {
            Backend::Sqlite => {
                "SELECT m.name || '.' || p.name AS col, lower(p.type) AS kind \
                FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                WHERE m.type = 'table' AND m.name NOT IN ('seaql_migrations', 'sqlite_sequence')"
            }
            Backend::Postgres => {
                "SELECT (table_name || '.' || column_name)::text AS col, data_type::text AS kind \
                FROM information_schema.columns \
                WHERE table_schema = 'public' AND table_name <> 'seaql_migrations'"
            }
        };
        let columns = db
            .query_all_raw(Statement::from_string(backend, sql))
            .await?;
        assert!(columns.len() > 20, "the schema was read");
        // Only staff tables may keep a time: a session's expiry, the audit log's "when" and
        // when a policy owner changed a guideline. None ever refers to a reporter: a
        // revision's evidence names lessons, published days before on a date alone.
        let staff_times = [
            "sessions.expires_at",
            "audit_events.at",
            "guideline_revisions.changed_on",
        ];
        for column in columns {
            let name: String = column.try_get("", "col")?;
            let kind: String = column.try_get("", "kind")?;
            if staff_times.contains(&name.as_str()) {
                continue;
            }
            assert!(
                !kind.contains("time") && !kind.contains("stamp"),
                "{name} is of type {kind}, which can hold a time of day"
            );
        }
        let today = kintsugi::today().to_string();
        let row = db
            .query_one_raw(Statement::from_string(
                backend,
                "SELECT CAST(submitted_on AS TEXT) AS day FROM reports",
            ))
            .await?
            .ok_or_else(|| anyhow::anyhow!("no report"))?;
        assert_eq!(row.try_get::<String>("", "day")?, today);
        Ok(())
    })
    .await
}

/// The whole path over a real socket, then a byte-level look at the data directory.
#[tokio::test]
async fn the_data_directory_holds_no_address_agent_or_receipt() -> anyhow::Result<()> {
    let data_dir = tempfile::tempdir()?;
    let server = OnSocket::start(Config::with_data_dir(data_dir.path())).await?;
    let address = &server.address;

    let body = serde_json::to_string(&new_report("Over a real socket"))?;
    let request = format!(
        "POST /api/v1/reports HTTP/1.1\r\nHost: {address}\r\nUser-Agent: {AGENT}\r\nX-Forwarded-For: {ADDRESS}\r\n\
         Cookie: session={COOKIE}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let answer = server.exchange(&request).await?;
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    let json_start = answer.find('{').unwrap_or(answer.len());
    let created: serde_json::Value = serde_json::from_str(answer[json_start..].trim())?;
    let receipt = created["receipt"].as_str().unwrap_or_default().to_owned();
    assert!(!receipt.is_empty());

    server.stop().await?;

    let files = files_under(data_dir.path())?;
    assert!(
        files
            .iter()
            .any(|(_, bytes)| contains_bytes(bytes, b"Over a real socket"))
    );
    let mut secrets = vec![
        AGENT.to_owned(),
        ADDRESS.to_owned(),
        COOKIE.to_owned(),
        "127.0.0.1".to_owned(),
    ];
    secrets.extend(receipt_forms(&receipt));
    for (path, bytes) in files {
        for secret in &secrets {
            assert!(
                !contains_bytes(&bytes, secret.as_bytes()),
                "{secret} found in {}",
                path.display()
            );
        }
    }
    Ok(())
}

/// A staff member who happens to be signed in logs a mistake like anyone else: nothing
/// about their account or session is stored with it, audited or logged.
#[tokio::test]
async fn a_signed_in_reporter_is_not_linked_to_the_report() -> anyhow::Result<()> {
    let logs = kintsugi_tests::captured_logs();
    each_backend(async |app| {
        let staff = app.staff("signed.in.reporter", kintsugi::services::accounts::Role::Moderator).await?;
        let db = &app.state.db;
        let backend = db.get_database_backend();
        let count = async |table: &str| -> anyhow::Result<i64> {
            let row = db
                .query_one_raw(Statement::from_string(backend, format!("SELECT COUNT(*) AS n FROM {table}")))
                .await?
                .ok_or_else(|| anyhow::anyhow!("no count"))?;
            Ok(row.try_get("", "n")?)
        };
        let (audited, sessions) = (count("audit_events").await?, count("sessions").await?);
        let response = app
            .client
            .post("/report")
            .header("cookie", &staff.cookie)
            .form(&[
                ("csrf_token", staff.csrf.as_str()),
                ("title", "Signed in while logging this"),
                ("narrative", "It was sent to the wrong list."),
                ("channel", "email"),
                ("impact", "minor"),
            ])
            .send()
            .await;
        response.assert_status_is_ok();
        assert_eq!(count("audit_events").await?, audited, "no audit entry for a report");
        assert_eq!(count("sessions").await?, sessions, "the session is not touched");
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT * FROM reports WHERE title = 'Signed in while logging this'",
            ))
            .await?;
        assert_eq!(rows.len(), 1);
        // No column of a report could hold an account: names, ids or session tokens.
        for row in &rows {
            let text = format!("{row:?}");
            assert!(!text.contains("signed.in.reporter"), "{text}");
            assert!(!text.contains(&staff.cookie), "{text}");
        }
        let columns: Vec<String> = match app.backend {
            Backend::Sqlite => db
                .query_all_raw(Statement::from_string(backend, "SELECT name FROM pragma_table_info('reports')"))
                .await?
                .iter()
                .map(|r| r.try_get::<String>("", "name"))
                .collect::<Result<_, _>>()?,
            Backend::Postgres => db
                .query_all_raw(Statement::from_string(
                    backend,
                    "SELECT column_name::text AS name FROM information_schema.columns WHERE table_name = 'reports'",
                ))
                .await?
                .iter()
                .map(|r| r.try_get::<String>("", "name"))
                .collect::<Result<_, _>>()?,
        };
        for column in columns {
            assert!(
                !column.split('_').any(|word| {
                    ["user", "account", "session", "author", "ip", "agent", "address"].contains(&word)
                }),
                "reports.{column} could link a report to a person"
            );
        }
        let log = String::from_utf8_lossy(&logs.contents()).into_owned();
        let naming: Vec<&str> = log.lines().filter(|l| l.contains("signed.in.reporter")).collect();
        assert!(naming.is_empty(), "the log never names the person: {naming:?}");
        Ok(())
    })
    .await
}

/// Anonymous submissions are limited per address, over a real socket as in production, and
/// the address is nowhere on disk afterwards.
#[tokio::test]
async fn submissions_are_limited_per_address_without_keeping_it() -> anyhow::Result<()> {
    let data_dir = tempfile::tempdir()?;
    let mut config = Config::with_data_dir(data_dir.path());
    config.access.submissions_per_hour = 2;
    let server = OnSocket::start(config).await?;
    let address = &server.address;
    let body = serde_json::to_string(&new_report("Limited"))?;
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let request = format!(
            "POST /api/v1/reports HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let answer = server.exchange(&request).await?;
        statuses.push(answer.get(9..12).unwrap_or_default().to_owned());
    }
    server.stop().await?;
    assert_eq!(statuses, vec!["201", "201", "429"]);
    for (path, bytes) in files_under(data_dir.path())? {
        assert!(
            !contains_bytes(&bytes, b"127.0.0.1"),
            "the address is in {}",
            path.display()
        );
    }
    Ok(())
}

/// No log line for an anonymous request — a report sent, a receipt used — whatever its
/// outcome: the line's time of day would date it. The metrics count them instead.
#[tokio::test]
async fn anonymous_requests_leave_no_line_in_the_log() -> anyhow::Result<()> {
    let (logs, _scoped) = logs_of_this_test();
    each_backend(async |app| {
        app.client
            .get("/api/v1/search?q=list")
            .send()
            .await
            .assert_status_is_ok();
        let (report_ref, receipt) = submit(&app, "Never in the log").await?;
        app.client
            .post("/report")
            .form(&[
                ("title", "Nor this one"),
                ("narrative", "n"),
                ("channel", "email"),
                ("impact", "minor"),
            ])
            .send()
            .await
            .assert_status_is_ok();
        let receipt_json = serde_json::json!({"receipt": receipt});
        let detail_json = serde_json::json!({"receipt": receipt, "detail": "More."});
        let api_actions = [
            ("/api/v1/receipts/status", &receipt_json, StatusCode::OK),
            ("/api/v1/receipts/details", &detail_json, StatusCode::OK),
            ("/api/v1/receipts/withdraw", &receipt_json, StatusCode::OK),
            (
                "/api/v1/receipts/withdraw",
                &receipt_json,
                StatusCode::CONFLICT,
            ),
        ];
        for (path, body, status) in api_actions {
            let response = app.client.post(path).body_json(body).send().await;
            response.assert_status(status);
        }
        let (_, second) = submit(&app, "Used through the pages").await?;
        let page_actions = [
            (
                "/receipt",
                vec![("receipt", second.as_str())],
                StatusCode::OK,
            ),
            (
                "/receipt/detail",
                vec![("receipt", second.as_str()), ("detail", "More.")],
                StatusCode::OK,
            ),
            (
                "/receipt/review",
                vec![("receipt", second.as_str()), ("decision", "approve")],
                StatusCode::CONFLICT,
            ),
            (
                "/receipt/withdraw",
                vec![("receipt", second.as_str()), ("confirm", "yes")],
                StatusCode::OK,
            ),
            (
                "/receipt",
                vec![("receipt", "ABCD-EFGH")],
                StatusCode::NOT_FOUND,
            ),
        ];
        for (path, form, status) in page_actions {
            let response = app.client.post(path).form(&form).send().await;
            response.assert_status(status);
        }

        let log = String::from_utf8_lossy(&logs.contents()).into_owned();
        assert!(
            log.contains("http.route=/api/v1/search"),
            "the access log is captured: {log}"
        );
        let lines: Vec<&str> = log
            .lines()
            .filter(|line| {
                line.contains("http.method=POST")
                    || line.contains("/report")
                    || line.contains("/receipt")
                    || line.contains(&report_ref)
            })
            .collect();
        assert!(
            lines.is_empty(),
            "anonymous requests were logged: {lines:?}"
        );

        let metrics = app.state.metrics.encode(kintsugi::metrics::IndexState {
            documents: 0,
            lag: Some(0),
        })?;
        for counted in [
            "kintsugi_anonymous_submissions_total 3",
            "kintsugi_receipt_actions_total 9",
        ] {
            assert!(
                metrics.lines().any(|l| l == counted),
                "{counted} in {metrics}"
            );
        }
        Ok(())
    })
    .await
}

/// The access log names the route a request matched, never the path it was sent to: a ref
/// of letters only (about one in forty) is as absent from it as any other, and a path that
/// matches no route is not written at all.
#[tokio::test]
async fn the_access_log_names_routes_not_paths() -> anyhow::Result<()> {
    let (logs, _scoped) = logs_of_this_test();
    each_backend(async |app| {
        let letters_only = "qwertzvxyk";
        assert!(kintsugi::codes::is_report_ref(letters_only));
        let routes = [
            "http.route=/reports/{ref} ",
            "http.route=/api/v1/reports/{ref} ",
            "http.route=/api/v1/reports/{ref}/similar ",
            "http.route=/moderation/{ref} ",
            "http.route={unmatched} ",
        ];
        // A test's own subscriber can miss an event while another test's subscriber is
        // being dropped (tracing rebuilds its callsite cache then): the requests are sent
        // again, up to three times, before a missing line counts as a failure.
        let mut log = String::new();
        for _ in 0..3 {
            for path in [
                format!("/reports/{letters_only}"),
                format!("/api/v1/reports/{letters_only}"),
                format!("/api/v1/reports/{letters_only}/similar"),
                format!("/moderation/{letters_only}"),
                format!("/no-such-page/{letters_only}"),
            ] {
                app.client.get(path).send().await;
            }
            log = String::from_utf8_lossy(&logs.contents()).into_owned();
            if routes.iter().all(|route| log.contains(route)) {
                break;
            }
        }
        assert!(!log.contains(letters_only), "a ref is logged: {log}");
        for route in routes {
            assert!(log.contains(route), "{route} missing from {log}");
        }
        Ok(())
    })
    .await
}

/// The real server on a free port of 127.0.0.1, for what only a real socket shows: the
/// peer address, raw headers, bytes on disk afterwards.
struct OnSocket {
    /// `127.0.0.1:PORT`
    address: String,
    stop: tokio::sync::oneshot::Sender<()>,
    running: tokio::task::JoinHandle<std::io::Result<()>>,
    _background: server::Background,
}

impl OnSocket {
    async fn start(config: Config) -> anyhow::Result<Self> {
        let (state, background) = server::build_state(config).await?;
        let acceptor = server::bind("127.0.0.1:0".parse()?).await?;
        let address = server::local_url(&acceptor)
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let running = tokio::spawn(server::serve(acceptor, state, async {
            let _ = stopped.await;
        }));
        Ok(Self {
            address,
            stop,
            running,
            _background: background,
        })
    }

    /// Sends a raw request on a new connection and reads the whole answer.
    async fn exchange(&self, request: &str) -> anyhow::Result<String> {
        let mut stream = tokio::net::TcpStream::connect(&self.address).await?;
        stream.write_all(request.as_bytes()).await?;
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await?;
        Ok(answer)
    }

    /// Stops the server and waits until it has.
    async fn stop(self) -> anyhow::Result<()> {
        let _ = self.stop.send(());
        self.running.await??;
        Ok(())
    }
}
