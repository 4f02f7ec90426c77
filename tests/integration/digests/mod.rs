//! The monthly digest: its page, and the email sent through a real SMTP server once to each
//! subscriber, across a crash and across two instances, with an unsubscribe link that works
//! without signing in.

mod smtp;

use std::time::Duration;

use kintsugi::{
    codes::ReportRef,
    config::{Config, DatabaseUrl, ReadAccess, SmtpUrl},
    month::YearMonth,
    server,
    services::{
        accounts::{self, Password, Role},
        digests::{
            job::{self, Sender},
            subscriptions,
        },
        signals::{self, SignalKind},
    },
    state::AppState,
    today,
};
use kintsugi_tests::{TestApp, each_backend, each_backend_with, each_database};
use poem::http::StatusCode;
use serde_json::json;

use crate::support::{number, published, text};
use smtp::{Received, SmtpServer};

const SITE: &str = "http://kintsugi.test";

fn with_smtp(config: &mut Config, url: &str) {
    config.access.read_access = ReadAccess::Open;
    config.digests.smtp_url = Some(SmtpUrl(url.to_owned()));
    config.digests.from = Some("Kintsugi <kintsugi@kintsugi.test>".to_owned());
    config.digests.public_url = Some(SITE.to_owned());
    // The tests run the job themselves.
    config.digests.look_every = Duration::from_secs(24 * 60 * 60);
}

fn this_month() -> YearMonth {
    YearMonth::of(today())
}

/// Two lessons published this month, the second marked helpful by a reader; their refs.
async fn lessons(app: &TestApp) -> anyhow::Result<(String, String)> {
    let first = published(
        app,
        &json!({"title": "Reply-all to the whole agency", "narrative": "It went to everyone.",
                "lesson": "Check the recipients."}),
    )
    .await?;
    let second = published(
        app,
        &json!({"title": "Embargoed figure in a draft", "narrative": "The draft went out early."}),
    )
    .await?;
    let reader = accounts::add(
        &app.state.db,
        "command line",
        "he.lped",
        Role::Reader,
        "a long reader password",
        Password::Chosen,
    )
    .await?;
    signals::mark(
        &app.state.db,
        &app.state.signal_key,
        &reader,
        &ReportRef::of_stored(&second)?,
        SignalKind::Helped,
        None,
    )
    .await?;
    Ok((first, second))
}

async fn subscriber(state: &AppState, name: &str) -> anyhow::Result<String> {
    let account = accounts::add(
        &state.db,
        "command line",
        name,
        Role::Reader,
        "a long reader password",
        Password::Chosen,
    )
    .await?;
    let email = format!("{name}@example.org");
    subscriptions::subscribe(&state.db, account.id, &email).await?;
    Ok(email)
}

fn sender(state: &AppState) -> anyhow::Result<Sender> {
    Sender::of(state)?.ok_or_else(|| anyhow::anyhow!("no mail server configured"))
}

/// The unsubscribe URL of a message's `List-Unsubscribe` header.
fn unsubscribe_url(message: &Received) -> anyhow::Result<String> {
    let start = message
        .raw
        .find("List-Unsubscribe: <")
        .ok_or_else(|| anyhow::anyhow!("no List-Unsubscribe header"))?
        + "List-Unsubscribe: <".len();
    let rest = &message.raw[start..];
    let end = rest
        .find('>')
        .ok_or_else(|| anyhow::anyhow!("unclosed header"))?;
    Ok(rest[..end].split_whitespace().collect())
}

/// How many messages went to each address, highest first.
fn per_recipient(messages: &[Received]) -> Vec<(String, usize)> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for m in messages {
        match counts.iter_mut().find(|(to, _)| *to == m.to) {
            Some((_, n)) => *n += 1,
            None => counts.push((m.to.clone(), 1)),
        }
    }
    counts.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    counts
}

#[tokio::test]
async fn the_digest_page_shows_the_month_s_lessons_and_the_most_helpful() -> anyhow::Result<()> {
    each_backend(async |app| {
        let (first, second) = lessons(&app).await?;
        let response = app.client.get("/digest").send().await;
        response.assert_status_is_ok();
        let page = text(response).await?;
        assert!(
            page.contains(&format!("href=\"/reports/{first}\"")),
            "{page}"
        );
        assert!(page.contains("Reply-all to the whole agency"));
        let helpful = page.find("Most helpful").unwrap_or(0);
        assert!(page[helpful..].contains(&format!("/reports/{second}\">Embargoed figure")));
        assert!(page[helpful..].contains("helped 1 reader this month"));

        let month = app
            .client
            .get(format!("/digest/{}", this_month()))
            .send()
            .await;
        assert_eq!(text(month).await?, page);
        let empty = text(app.client.get("/digest/2020-01").send().await).await?;
        assert!(empty.contains("No lesson was published this month."));
        for missing in ["/digest/2999-01", "/digest/2026-13", "/digest/last"] {
            let status = app.client.get(missing).send().await.0.status();
            assert_eq!(status, StatusCode::NOT_FOUND, "{missing}");
        }
        Ok(())
    })
    .await
}

#[tokio::test]
async fn subscribers_receive_the_digest_once_and_unsubscribe_without_signing_in()
-> anyhow::Result<()> {
    let server = SmtpServer::start(Duration::ZERO).await?;
    let url = server.url();
    let mut sent_before = 0;
    each_backend_with(
        |config| with_smtp(config, &url),
        async |app| {
            let (first, _) = lessons(&app).await?;
            // A reader subscribes on the account page.
            let reader = app.staff("re.ader", Role::Reader).await?;
            app.client
                .post("/account/digest")
                .header("cookie", &reader.cookie)
                .form(&[
                    ("csrf_token", reader.csrf.as_str()),
                    ("email", "not an address"),
                ])
                .send()
                .await
                .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
            app.client
                .post("/account/digest")
                .header("cookie", &reader.cookie)
                .form(&[
                    ("csrf_token", reader.csrf.as_str()),
                    ("email", "re.ader@example.org"),
                ])
                .send()
                .await
                .assert_status(StatusCode::SEE_OTHER);
            let account = text(
                app.client
                    .get("/account")
                    .header("cookie", &reader.cookie)
                    .send()
                    .await,
            )
            .await?;
            assert!(account.contains("re.ader@example.org"));
            let other = subscriber(&app.state, "ot.her").await?;

            let sender = sender(&app.state)?;
            let summary = job::send_due(&sender, this_month(), "one").await?;
            assert_eq!(summary.map(|s| (s.sent, s.failed)), Some((2, 0)));
            assert_eq!(job::send_due(&sender, this_month(), "one").await?, None);
            let messages = server.wait_for(sent_before + 2).await?;
            let messages = &messages[sent_before..];
            sent_before += 2;
            let mut to: Vec<&str> = messages.iter().map(|m| m.to.as_str()).collect();
            to.sort_unstable();
            assert_eq!(to, ["ot.her@example.org", "re.ader@example.org"]);
            let message = messages
                .iter()
                .find(|m| m.to == other)
                .ok_or_else(|| anyhow::anyhow!("nothing to {other}"))?;
            assert!(
                message
                    .raw
                    .contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
            );
            assert!(
                message.raw.contains(&format!("{SITE}/reports/{first}")),
                "{}",
                message.raw
            );
            assert!(message.raw.contains("Subject: Kintsugi: lessons of"));

            // The link works without a session: the page offers one button, and a mail
            // client's one-click POST unsubscribes.
            let link = unsubscribe_url(message)?;
            let path = link
                .strip_prefix(SITE)
                .ok_or_else(|| anyhow::anyhow!("{link} is not on {SITE}"))?;
            let form = text(app.client.get(path).send().await).await?;
            assert!(form.contains(&format!("action=\"{path}\"")), "{form}");
            let count = "SELECT COUNT(*) FROM digest_subscriptions";
            assert_eq!(number(&app, count).await?, 2);
            app.client
                .post(path)
                .content_type("application/x-www-form-urlencoded")
                .body("List-Unsubscribe=One-Click")
                .send()
                .await
                .assert_status_is_ok();
            assert_eq!(number(&app, count).await?, 1);
            let stale = text(app.client.get(path).send().await).await?;
            assert!(stale.contains("unsubscribes no one"));
            // A forged token unsubscribes no one.
            let forged = format!("{}0", &path[..path.len() - 1]);
            app.client.post(&forged).send().await.assert_status_is_ok();
            assert_eq!(number(&app, count).await?, 1);
            Ok(())
        },
    )
    .await
}

/// Two instances with their own data folders on one database, with a mail server.
async fn instances(url: &str, smtp: &str) -> anyhow::Result<Vec<(AppState, tempfile::TempDir)>> {
    let mut started = Vec::new();
    for _ in 0..2 {
        let dir = tempfile::tempdir()?;
        let mut config = Config::with_data_dir(dir.path());
        config.database.url = Some(DatabaseUrl(url.to_owned()));
        with_smtp(&mut config, smtp);
        started.push((server::prepare_state(config).await?, dir));
    }
    Ok(started)
}

fn shared_url(url: Option<String>, shared: &tempfile::TempDir) -> String {
    url.unwrap_or_else(|| {
        format!(
            "sqlite://{}?mode=rwc",
            shared.path().join("shared.db").display()
        )
    })
}

#[tokio::test]
async fn two_instances_on_one_database_send_each_digest_once() -> anyhow::Result<()> {
    let server = SmtpServer::start(Duration::from_millis(20)).await?;
    let mut seen = 0;
    each_database(async |url| {
        let shared = tempfile::tempdir()?;
        let started = instances(&shared_url(url, &shared), &server.url()).await?;
        let (one, two) = (&started[0].0, &started[1].0);
        for n in 0..6 {
            subscriber(one, &format!("reader.{n}")).await?;
        }
        let (a, b) = (sender(one)?, sender(two)?);
        let (first, second) = tokio::join!(
            job::send_due(&a, this_month(), "one"),
            job::send_due(&b, this_month(), "two"),
        );
        let ran: Vec<_> = [first?, second?].into_iter().flatten().collect();
        assert_eq!(ran.len(), 1, "{ran:?}");
        assert_eq!(ran[0].sent, 6);
        server.wait_for(seen + 6).await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let messages = &server.messages()?[seen..];
        assert_eq!(messages.len(), 6);
        let counts = per_recipient(messages);
        assert!(counts.iter().all(|(_, n)| *n == 1), "{counts:?}");
        seen += messages.len();
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_restart_mid_batch_sends_no_digest_twice() -> anyhow::Result<()> {
    // Slow enough to stop the first instance in the middle of its batch.
    let server = SmtpServer::start(Duration::from_millis(300)).await?;
    let mut seen = 0;
    each_database(async |url| {
        let shared = tempfile::tempdir()?;
        let url = shared_url(url, &shared);
        let started = instances(&url, &server.url()).await?;
        let one = &started[0].0;
        for n in 0..6 {
            subscriber(one, &format!("reader.{n}")).await?;
        }
        let a = sender(one)?;
        let crashing =
            tokio::spawn(async move { job::send_due(&a, this_month(), "crashing").await });
        server.wait_for(seen + 2).await?;
        // The instance dies mid-batch; its lease lapses as a crashed holder's does.
        crashing.abort();
        let _ = crashing.await;
        sea_orm::ConnectionTrait::execute_unprepared(
            &one.db,
            "UPDATE job_leases SET expires_at = 0 WHERE name = 'digests'",
        )
        .await?;

        // Restarted, it sends the rest, and nobody twice.
        let restarted = &started[1].0;
        let summary = job::send_due(&sender(restarted)?, this_month(), "restarted").await?;
        let summary = summary.ok_or_else(|| anyhow::anyhow!("the restarted job did not run"))?;
        assert!(summary.sent >= 3, "{summary:?}");
        tokio::time::sleep(Duration::from_millis(500)).await;
        let messages = &server.messages()?[seen..];
        let counts = per_recipient(messages);
        assert!(counts.iter().all(|(_, n)| *n == 1), "{counts:?}");
        // At most the one being sent when the instance died is lost, never sent twice.
        assert!(counts.len() >= 5, "{counts:?}");
        let claims = sea_orm::ConnectionTrait::query_one_raw(
            &restarted.db,
            sea_orm::Statement::from_string(
                restarted.db.get_database_backend(),
                "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM digest_deliveries",
            ),
        )
        .await?
        .map(|row| row.try_get::<i64>("", "n"))
        .transpose()?;
        assert_eq!(claims, Some(6), "every subscriber is claimed once");
        assert_eq!(
            job::send_due(&sender(restarted)?, this_month(), "again").await?,
            None
        );
        seen += messages.len();
        Ok(())
    })
    .await
}
