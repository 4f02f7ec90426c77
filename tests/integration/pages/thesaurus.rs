//! The admin's thesaurus pages: edits stored, audited, followed by every instance on the
//! database and kept over a restart; bad input refused with the text kept; two admins at once.

use std::time::{Duration, Instant};

use kintsugi::services::accounts::Role;
use kintsugi_tests::{Staff, TestApp, each_backend};
use poem::{http::StatusCode, test::TestResponse};

use crate::support::{json, number, text};

const FORM: &str = "application/x-www-form-urlencoded";

async fn post(
    app: &TestApp,
    admin: &Staff,
    path: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let mut body: Vec<(&str, &str)> = vec![("csrf_token", &admin.csrf)];
    body.extend_from_slice(fields);
    let body: Vec<String> = body
        .iter()
        .map(|(name, value)| format!("{name}={}", encoded(value)))
        .collect();
    let body = body.join("&");
    let response = app
        .client
        .post(path)
        .header("cookie", &admin.cookie)
        .content_type(FORM)
        .body(body)
        .send()
        .await;
    let status = response.0.status();
    let location = response
        .0
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .map(str::to_owned);
    match location {
        Some(location) => (status, location),
        None => (status, text(response).await.unwrap_or_default()),
    }
}

/// A page as `admin` sees it.
async fn admin_page(app: &TestApp, admin: &Staff, path: impl AsRef<str>) -> TestResponse {
    let path = path.as_ref();
    app.client
        .get(path)
        .header("cookie", &admin.cookie)
        .send()
        .await
}

/// `value` as a form sends it.
fn encoded(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The thesaurus's words an instance searches for besides `word`.
async fn also_searched_for(app: &TestApp, word: &str) -> anyhow::Result<Vec<String>> {
    let response = app
        .client
        .get(format!("/api/v1/search?q={word}"))
        .send()
        .await;
    response.assert_status_is_ok();
    let body = json(response).await?;
    Ok(body["also_searched_for"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|w| w.as_str().map(str::to_owned))
        .collect())
}

/// A second instance on the same database, with its own data directory and index.
async fn another_instance(app: &TestApp) -> anyhow::Result<TestApp> {
    let data_dir = tempfile::tempdir()?;
    let mut config = (*app.state.config).clone();
    config.data_dir = data_dir.path().to_path_buf();
    config.database.url = Some(kintsugi::config::DatabaseUrl(app.config().database_url()));
    TestApp::start_in(app.backend, data_dir, config).await
}

async fn audited(app: &TestApp, action: &str) -> anyhow::Result<i64> {
    let sql = format!("SELECT COUNT(*) FROM audit_events WHERE action = '{action}'");
    number(app, &sql).await
}

#[tokio::test]
async fn an_edit_applies_on_every_instance_and_over_a_restart() -> anyhow::Result<()> {
    each_backend(async |app| {
        let other = another_instance(&app).await?;
        let admin = app.staff("the.admin", Role::Admin).await?;
        assert!(also_searched_for(&app, "telefax").await?.is_empty());
        let page = admin_page(&app, &admin, "/admin/thesaurus").await;
        page.assert_status_is_ok();
        let page = text(page).await?;
        assert!(page.contains("the groups shipped with Kintsugi"), "{page}");
        assert!(page.contains("blind carbon copy"));
        let groups = page.matches("id=\"group-").count();

        let words = "telefax\nfacsimile";
        let (status, location) = post(
            &app,
            &admin,
            "/admin/thesaurus/groups",
            &[("version", "0"), ("words", words)],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{location}");
        assert_eq!(location, format!("/admin/thesaurus#group-{}", groups + 1));
        assert_eq!(
            also_searched_for(&app, "telefax").await?,
            ["facsimile"],
            "at once here"
        );
        assert_eq!(audited(&app, "thesaurus.add").await?, 1);

        // The other instance follows within its interval.
        let deadline = Instant::now() + Duration::from_secs(15);
        while also_searched_for(&other, "telefax").await?.is_empty() {
            anyhow::ensure!(
                Instant::now() < deadline,
                "the other instance never followed"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // A restart reads it from the database before serving.
        drop(other);
        let restarted = another_instance(&app).await?;
        assert_eq!(
            also_searched_for(&restarted, "telefax").await?,
            ["facsimile"]
        );

        let path = format!("/admin/thesaurus/groups/{}", groups + 1);
        let edit = admin_page(&app, &admin, &path).await;
        edit.assert_status_is_ok();
        assert!(text(edit).await?.contains("telefax\nfacsimile</textarea>"));
        let words = "telefax\nfacsimile\nfax machine";
        let (status, _) = post(&app, &admin, &path, &[("version", "1"), ("words", words)]).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let mut also = also_searched_for(&app, "telefax").await?;
        also.sort();
        assert_eq!(also, ["facsimile", "fax machine"]);

        let remove = format!("{path}/remove");
        let (status, _) = post(&app, &admin, &remove, &[("version", "2")]).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert!(also_searched_for(&app, "telefax").await?.is_empty());
        let page = admin_page(&app, &admin, "/admin/thesaurus").await;
        let page = text(page).await?;
        assert!(page.contains("were edited here"), "{page}");

        let (status, _) = post(&app, &admin, "/admin/thesaurus/reset", &[("version", "3")]).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let page = admin_page(&app, &admin, "/admin/thesaurus").await;
        assert!(
            text(page)
                .await?
                .contains("These are the groups shipped with Kintsugi")
        );
        for action in ["thesaurus.edit", "thesaurus.remove", "thesaurus.reset"] {
            assert_eq!(audited(&app, action).await?, 1, "{action}");
        }
        let log = admin_page(&app, &admin, "/admin/audit").await;
        assert!(
            text(log)
                .await?
                .contains("telefax, facsimile → telefax, facsimile, fax machine")
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn bad_groups_come_back_with_the_text_kept_and_nothing_stored() -> anyhow::Result<()> {
    each_backend(async |app| {
        let admin = app.staff("the.admin", Role::Admin).await?;
        let huge: Vec<String> = (0..30).map(|n| format!("word{n}")).collect();
        let huge = huge.join("\n");
        let long = format!("telefax\n{}", "x".repeat(150));
        let cases: [(&str, &str, &str); 6] = [
            (
                "/admin/thesaurus/groups",
                " \n , ",
                "Write the words or phrases",
            ),
            (
                "/admin/thesaurus/groups",
                "lonely",
                "at least two different",
            ),
            (
                "/admin/thesaurus/groups",
                "secret copy\nBlind copies",
                "\"Blind copies\" is already in group 1 (bcc,",
            ),
            (
                "/admin/thesaurus/groups",
                &huge,
                "at most 24 words or phrases; this one has 30",
            ),
            (
                "/admin/thesaurus/groups",
                &long,
                "longer than 100 characters",
            ),
            (
                "/admin/thesaurus/groups/2",
                "cc\nblind copy",
                "\"blind copy\" is already in group 1",
            ),
        ];
        for (path, words, reason) in cases {
            let (status, page) =
                post(&app, &admin, path, &[("version", "0"), ("words", words)]).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{words}: {page}");
            assert!(
                page.contains("href=\"#words\""),
                "the field is named: {page}"
            );
            let reason = reason.replace('"', "&quot;");
            assert!(page.contains(&reason), "{words}: {reason} in {page}");
            assert!(page.contains(words), "the text is kept: {words}");
        }
        // An edit based on a version that is no longer the current one.
        let (status, page) = post(
            &app,
            &admin,
            "/admin/thesaurus/groups/3",
            &[("version", "7"), ("words", "reply-all\nreply to everyone")],
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(
            page.contains("Someone else changed the thesaurus"),
            "{page}"
        );
        assert!(page.contains("reply to everyone"));
        for missing in ["0", "9999", "abc"] {
            let path = format!("/admin/thesaurus/groups/{missing}");
            let response = admin_page(&app, &admin, &path).await;
            response.assert_status(StatusCode::NOT_FOUND);
            let (status, _) =
                post(&app, &admin, &format!("{path}/remove"), &[("version", "0")]).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        }
        let stored = number(
            &app,
            "SELECT COUNT(*) FROM settings WHERE key LIKE 'thesaurus%'",
        )
        .await?;
        assert_eq!(stored, 0, "nothing stored");
        let audited = number(
            &app,
            "SELECT COUNT(*) FROM audit_events WHERE action LIKE 'thesaurus.%'",
        )
        .await?;
        assert_eq!(audited, 0);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn two_admins_editing_at_once_never_overwrite_each_other() -> anyhow::Result<()> {
    each_backend(async |app| {
        let first = app.staff("first.admin", Role::Admin).await?;
        let second = app.staff("second.admin", Role::Admin).await?;
        let add = "/admin/thesaurus/groups";
        let (a, b) = tokio::join!(
            post(
                &app,
                &first,
                add,
                &[("version", "0"), ("words", "telefax\nfacsimile")]
            ),
            post(
                &app,
                &second,
                add,
                &[("version", "0"), ("words", "pager\nbeeper")]
            ),
        );
        let mut statuses = [a.0, b.0];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::SEE_OTHER, StatusCode::CONFLICT],
            "{a:?} {b:?}"
        );
        let lost = if a.0 == StatusCode::CONFLICT {
            &a.1
        } else {
            &b.1
        };
        assert!(lost.contains("Someone else changed the thesaurus"));
        assert_eq!(
            number(
                &app,
                "SELECT COUNT(*) FROM audit_events WHERE action = 'thesaurus.add'"
            )
            .await?,
            1
        );
        let stored = admin_page(&app, &first, "/admin/thesaurus").await;
        let stored = text(stored).await?;
        assert!(
            stored.contains("telefax, facsimile") != stored.contains("pager, beeper"),
            "exactly one of the two groups is stored"
        );
        Ok(())
    })
    .await
}
