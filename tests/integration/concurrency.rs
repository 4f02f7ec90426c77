//! Many people writing at once: every acknowledged write is kept, and no one is told
//! "something went wrong" because someone else was writing.

use std::time::{Duration, Instant};

use futures_util::future::join_all;
use kintsugi::services::accounts::Role;
use kintsugi_tests::{TestApp, each_backend};
use poem::http::StatusCode;
use serde_json::json;

use crate::support::{import, number, post_json, published, rows, submit, text};

/// How long the writers keep writing.
const BURST: Duration = Duration::from_secs(3);

#[tokio::test]
async fn eight_clients_submitting_at_once_are_all_answered_201_and_all_kept() -> anyhow::Result<()>
{
    each_backend(async |app| {
        let app = &app;
        let writers = (0..8).map(|client| async move {
            let mut acknowledged = Vec::new();
            let started = Instant::now();
            let mut n = 0;
            while started.elapsed() < BURST {
                n += 1;
                let title = format!("Sent to the wrong list, client {client} try {n}");
                let response =
                    post_json(app, "/api/v1/reports", &kintsugi_tests::new_report(&title)).await;
                let status = response.0.status();
                let body = text(response).await?;
                anyhow::ensure!(status == StatusCode::CREATED, "{status}: {body}");
                let body: serde_json::Value = serde_json::from_str(&body)?;
                acknowledged.push(body["ref"].as_str().unwrap_or_default().to_owned());
            }
            anyhow::Ok(acknowledged)
        });
        let mut acknowledged = Vec::new();
        for refs in join_all(writers).await {
            acknowledged.extend(refs?);
        }
        assert!(acknowledged.len() >= 16, "only {}", acknowledged.len());
        assert_all_stored(app, &acknowledged).await
    })
    .await
}

/// The form, receipt actions, moderation, readers' signals and an import, all at once.
#[tokio::test]
async fn every_kind_of_write_at_once_is_answered_and_kept() -> anyhow::Result<()> {
    each_backend(async |app| {
        let lesson = published(
            &app,
            &json!({"title": "Reply-all to the agency", "narrative": "A draft went to all staff."}),
        )
        .await?;
        let reader = app.staff("re.ader", Role::Reader).await?;
        let moderator = app.staff("mo.derator", Role::Moderator).await?;
        let (_, receipt) = submit(&app, "A detail will follow").await?;
        let (asked, _) = submit(&app, "The moderator will ask about this").await?;
        let until = Instant::now() + BURST;
        let app = &app;

        let forms = (0..3).map(|client| async move {
            let mut sent = 0;
            while Instant::now() < until {
                let page = text(app.client.get("/report").send().await).await?;
                let once = hidden_value(&page, "once")?;
                let title = format!("Posted from the wrong account, form {client} try {sent}");
                let response = app
                    .client
                    .post("/report")
                    .form(&[
                        ("title", title.as_str()),
                        ("narrative", "Both accounts were open in one app."),
                        ("channel", "public_social"),
                        ("impact", "near_miss"),
                        ("once", once.as_str()),
                    ])
                    .send()
                    .await;
                let status = response.0.status();
                let page = text(response).await?;
                anyhow::ensure!(status == StatusCode::OK, "form answered {status}");
                anyhow::ensure!(page.contains("receipt"), "no receipt on the page");
                sent += 1;
            }
            anyhow::Ok(sent)
        });
        let details = async {
            let mut added = 0;
            while Instant::now() < until {
                let response = post_json(
                    app,
                    "/api/v1/receipts/details",
                    &json!({"receipt": receipt, "detail": format!("detail {added}")}),
                )
                .await;
                anyhow::ensure!(
                    response.0.status() == StatusCode::OK,
                    "detail answered {}",
                    response.0.status()
                );
                added += 1;
            }
            anyhow::Ok(added)
        };
        let signals = async {
            while Instant::now() < until {
                for kind in ["helped", "happened_to_us"] {
                    let response = app
                        .client
                        .post(format!("/api/v1/reports/{lesson}/signals"))
                        .header("authorization", reader.bearer())
                        .body_json(&json!({"kind": kind}))
                        .send()
                        .await;
                    anyhow::ensure!(
                        response.0.status() == StatusCode::OK,
                        "signal answered {}",
                        response.0.status()
                    );
                }
            }
            anyhow::Ok(())
        };
        let questions = async {
            let mut asked_n = 0;
            while Instant::now() < until {
                let response = app
                    .client
                    .post(format!("/api/v1/moderation/reports/{asked}/ask"))
                    .header("authorization", moderator.bearer())
                    .body_json(&json!({"question": format!("Which list was it? ({asked_n})")}))
                    .send()
                    .await;
                anyhow::ensure!(
                    response.0.status() == StatusCode::OK,
                    "question answered {}",
                    response.0.status()
                );
                asked_n += 1;
            }
            anyhow::Ok(asked_n)
        };
        let imported = async {
            let lines: String = (0..400)
                .map(|i| {
                    format!(
                        "{}\n",
                        json!({"title": format!("Imported lesson {i}"), "narrative": "Old news."})
                    )
                })
                .collect();
            let summary = import(app, &lines, true).await?;
            anyhow::ensure!(summary.errors.is_empty(), "import: {:?}", summary.errors);
            anyhow::Ok(())
        };
        let (forms, details, signals, questions, imported) =
            tokio::join!(join_all(forms), details, signals, questions, imported);
        let sent: usize = forms.into_iter().sum::<anyhow::Result<usize>>()?;
        let (details, asked_n) = (details?, questions?);
        signals?;
        imported?;

        let count = |sql: &'static str| number(app, sql);
        assert_eq!(
            count("SELECT COUNT(*) FROM reports WHERE title LIKE 'Posted from the wrong account%'")
                .await?,
            sent as i64
        );
        assert_eq!(
            count("SELECT COUNT(*) FROM reports WHERE title LIKE 'Imported lesson%'").await?,
            400
        );
        assert_eq!(
            count("SELECT COUNT(*) FROM report_messages WHERE body LIKE 'detail %'").await?,
            details as i64
        );
        assert_eq!(
            count("SELECT COUNT(*) FROM report_messages WHERE body LIKE 'Which list%'").await?,
            asked_n as i64
        );
        Ok(())
    })
    .await
}

/// A report form sent twice — a reload, a double click — logs one report and shows the same
/// receipt both times.
#[tokio::test]
async fn a_form_sent_twice_logs_one_report_with_one_receipt() -> anyhow::Result<()> {
    each_backend(async |app| {
        let page = text(app.client.get("/report").send().await).await?;
        let once = hidden_value(&page, "once")?;
        let form = [
            ("title", "Sent the form twice"),
            ("narrative", "The page was slow, so I clicked again."),
            ("channel", "email"),
            ("impact", "minor"),
            ("once", once.as_str()),
        ];
        let send = || app.client.post("/report").form(&form).send();
        let (first, second) = tokio::join!(send(), send());
        let (first, second) = (text(first).await?, text(second).await?);
        let third = text(send().await).await?;
        let receipt = |page: &str| -> anyhow::Result<String> {
            let start = page
                .find("class=\"receipt-code\"")
                .ok_or_else(|| anyhow::anyhow!("no receipt on the page"))?;
            Ok(page[start..].chars().take(120).collect())
        };
        assert_eq!(receipt(&first)?, receipt(&second)?);
        assert_eq!(receipt(&first)?, receipt(&third)?);
        let rows = rows(
            &app,
            "SELECT id FROM reports WHERE title = 'Sent the form twice'",
        )
        .await?;
        assert_eq!(rows.len(), 1);

        // A new form is a new report.
        let page = text(app.client.get("/report").send().await).await?;
        let other = hidden_value(&page, "once")?;
        assert_ne!(other, once);
        Ok(())
    })
    .await
}

/// The value of the hidden input `name` in a page.
fn hidden_value(page: &str, name: &str) -> anyhow::Result<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page
        .find(&marker)
        .ok_or_else(|| anyhow::anyhow!("no {name} field"))?
        + marker.len();
    let end = page[start..]
        .find('"')
        .ok_or_else(|| anyhow::anyhow!("unterminated {name} field"))?;
    Ok(page[start..start + end].to_owned())
}

async fn assert_all_stored(app: &TestApp, refs: &[String]) -> anyhow::Result<()> {
    // Refs are random base32 letters and digits, safe to write into the statement.
    for report_ref in refs {
        let found = number(
            app,
            &format!("SELECT COUNT(*) FROM reports WHERE id = '{report_ref}'"),
        )
        .await?;
        anyhow::ensure!(found == 1, "acknowledged report {report_ref} is missing");
    }
    Ok(())
}
