//! Sessions, API tokens, CSRF protection and sign-in throttling.

use kintsugi::services::accounts::{Role, tokens};
use kintsugi_tests::{PASSWORD, contains_bytes, each_backend, stored_bytes};
use poem::http::StatusCode;
use sea_orm::ConnectionTrait;

use crate::support::{rows, text};

#[tokio::test]
async fn a_session_signs_in_until_it_expires_or_ends() -> anyhow::Result<()> {
    each_backend(async |app| {
        let response = app
            .client
            .post("/signin")
            .form(&[("name", "nobody"), ("password", "wrong password here")])
            .send()
            .await;
        response.assert_status(StatusCode::UNAUTHORIZED);
        assert!(
            text(response)
                .await?
                .contains("do not match an active account")
        );

        let staff = app.staff("m.curie", Role::Moderator).await?;
        let response = app
            .client
            .post("/signin")
            .form(&[("name", "m.curie"), ("password", PASSWORD)])
            .send()
            .await;
        let cookie = response
            .0
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite=Lax"), "{cookie}");

        let page = app
            .client
            .get("/moderation")
            .header("cookie", &staff.cookie)
            .send()
            .await;
        page.assert_status_is_ok();

        // A cookie whose signature does not match signs nobody in.
        let forged = format!("{}x", staff.cookie);
        app.client
            .get("/moderation")
            .header("cookie", &forged)
            .send()
            .await
            .assert_status(StatusCode::SEE_OTHER);

        // The expiry is the server's: past it, the same cookie is refused.
        let db = &app.state.db;
        db.execute_unprepared("UPDATE sessions SET expires_at = '2000-01-01 00:00:00'")
            .await?;
        let page = app
            .client
            .get("/moderation")
            .header("cookie", &staff.cookie)
            .send()
            .await;
        page.assert_status(StatusCode::SEE_OTHER);
        page.assert_header("location", "/signin?next=/moderation");

        // Signing out ends the session on the server, not only in the browser.
        let (cookie, csrf) = app.sign_in("m.curie", PASSWORD).await?;
        app.client
            .post("/signout")
            .header("cookie", &cookie)
            .form(&[("csrf_token", csrf)])
            .send()
            .await
            .assert_status(StatusCode::SEE_OTHER);
        app.client
            .get("/account")
            .header("cookie", &cookie)
            .send()
            .await
            .assert_status(StatusCode::SEE_OTHER);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn forms_without_the_csrf_token_or_from_elsewhere_are_refused() -> anyhow::Result<()> {
    each_backend(async |app| {
        let staff = app.staff("a.lovelace", Role::Reader).await?;
        let post = |csrf: Option<&str>| {
            let mut form = vec![("label", "a script".to_owned())];
            if let Some(csrf) = csrf {
                form.push(("csrf_token", csrf.to_owned()));
            }
            app.client
                .post("/account/tokens")
                .header("cookie", &staff.cookie)
                .form(&form)
                .send()
        };
        post(None).await.assert_status(StatusCode::FORBIDDEN);
        post(Some("not-the-token"))
            .await
            .assert_status(StatusCode::FORBIDDEN);
        let response = post(Some(&staff.csrf)).await;
        response.assert_status_is_ok();
        assert!(
            text(response).await?.contains("kintsugi_"),
            "the new token is shown once"
        );

        // A report form opened before signing in still goes through: anonymous forms act with
        // nobody's authority, and a report must not be lost to a missing token.
        let report = app
            .client
            .post("/report")
            .header("cookie", &staff.cookie)
            .form(&[
                ("title", "Written before signing in"),
                ("narrative", "The form was open in another tab."),
                ("channel", "email"),
                ("impact", "near_miss"),
            ])
            .send()
            .await;
        report.assert_status_is_ok();
        assert!(text(report).await?.contains("receipt"));

        // A form posted from another site is refused even without a session.
        let response = app
            .client
            .post("/report")
            .header("origin", "https://elsewhere.example")
            .header("host", "kintsugi.intranet")
            .form(&[("title", "x")])
            .send()
            .await;
        response.assert_status(StatusCode::FORBIDDEN);
        let response = app
            .client
            .post("/receipt")
            .header("sec-fetch-site", "cross-site")
            .form(&[("receipt", "x")])
            .send()
            .await;
        response.assert_status(StatusCode::FORBIDDEN);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn api_tokens_work_until_revoked_and_are_stored_hashed() -> anyhow::Result<()> {
    each_backend(async |app| {
        let staff = app.staff("g.hopper", Role::Moderator).await?;
        let queue = || {
            app.client
                .get("/api/v1/moderation/queue")
                .header("authorization", staff.bearer())
                .send()
        };
        queue().await.assert_status_is_ok();
        assert!(
            !contains_bytes(&stored_bytes(&app).await?, staff.token.as_bytes()),
            "tokens are stored hashed"
        );

        let user_id = tokens::user_id_by_name(&app.state.db, "g.hopper").await?;
        let id = tokens::list_for(&app.state.db, user_id)
            .await?
            .first()
            .map(|t| t.id)
            .unwrap_or_default();
        app.client
            .post(format!("/account/tokens/{id}/revoke"))
            .header("cookie", &staff.cookie)
            .form(&[("csrf_token", staff.csrf.as_str())])
            .send()
            .await
            .assert_status(StatusCode::SEE_OTHER);
        let refused = queue().await;
        refused.assert_status(StatusCode::UNAUTHORIZED);
        let body = text(refused).await?;
        assert!(body.contains("\"error\":\"unauthenticated\""), "{body}");

        // A disabled account's tokens stop working with it.
        let other = app.staff("k.johnson", Role::Moderator).await?;
        kintsugi::services::accounts::disable(&app.state.db, "command line", "k.johnson").await?;
        app.client
            .get("/api/v1/moderation/queue")
            .header("authorization", other.bearer())
            .send()
            .await
            .assert_status(StatusCode::UNAUTHORIZED);
        app.client
            .get("/moderation")
            .header("cookie", &other.cookie)
            .send()
            .await
            .assert_status(StatusCode::SEE_OTHER);

        // A reader's token does not moderate.
        let reader = app.staff("r.franklin", Role::Reader).await?;
        app.client
            .get("/api/v1/moderation/queue")
            .header("authorization", reader.bearer())
            .send()
            .await
            .assert_status(StatusCode::FORBIDDEN);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn repeated_failed_sign_ins_are_throttled() -> anyhow::Result<()> {
    each_backend(async |app| {
        app.staff("e.noether", Role::Reader).await?;
        for _ in 0..5 {
            app.client
                .post("/signin")
                .form(&[("name", "e.noether"), ("password", "not the password")])
                .send()
                .await
                .assert_status(StatusCode::UNAUTHORIZED);
        }
        // Even the right password waits now: guessing gets no further.
        let response = app
            .client
            .post("/signin")
            .form(&[("name", "e.noether"), ("password", PASSWORD)])
            .send()
            .await;
        response.assert_status(StatusCode::TOO_MANY_REQUESTS);
        assert!(text(response).await?.contains("too many attempts"));
        // Passwords are stored as argon2id hashes only.
        let rows = rows(&app, "SELECT password_hash FROM users").await?;
        for row in rows {
            let hash: String = row.try_get("", "password_hash")?;
            assert!(hash.starts_with("$argon2id$"), "{hash}");
        }
        Ok(())
    })
    .await
}

#[tokio::test]
async fn an_admin_adds_an_account_whose_one_time_password_is_replaced_first() -> anyhow::Result<()>
{
    each_backend(async |app| {
        let admin = app.staff("the.admin", Role::Admin).await?;
        let response = app
            .client
            .post("/admin/users")
            .header("cookie", &admin.cookie)
            .form(&[
                ("csrf_token", admin.csrf.as_str()),
                ("name", "New.Moderator"),
                ("role", "moderator"),
            ])
            .send()
            .await;
        response.assert_status_is_ok();
        response.assert_header("cache-control", "no-store");
        let page = text(response).await?;
        let marker = r#"<code class="token">"#;
        let start = page
            .find(marker)
            .map(|i| i + marker.len())
            .ok_or_else(|| anyhow::anyhow!("no password shown"))?;
        let end = page[start..].find('<').map(|i| i + start).unwrap_or(start);
        let one_time = page[start..end].to_owned();

        // The first sign-in leads to the password form, whatever page was asked for.
        let response = app
            .client
            .post("/signin")
            .form(&[
                ("name", "new.moderator"),
                ("password", one_time.as_str()),
                ("next", "/moderation"),
            ])
            .send()
            .await;
        response.assert_status(StatusCode::SEE_OTHER);
        response.assert_header("location", "/account");
        let (cookie, csrf) = app.sign_in("new.moderator", &one_time).await?;
        let account = text(
            app.client
                .get("/account")
                .header("cookie", &cookie)
                .send()
                .await,
        )
        .await?;
        assert!(account.contains("Choose your own password now"));
        let short = app
            .client
            .post("/account/password")
            .header("cookie", &cookie)
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("current", one_time.as_str()),
                ("new", "short"),
            ])
            .send()
            .await;
        short.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(text(short).await?.contains("at least 12 characters"));
        app.client
            .post("/account/password")
            .header("cookie", &cookie)
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("current", one_time.as_str()),
                ("new", "a calm river of paper boats"),
            ])
            .send()
            .await
            .assert_status(StatusCode::SEE_OTHER);
        // Every session that knew the one-time password has ended, this one included.
        app.client
            .get("/account")
            .header("cookie", &cookie)
            .send()
            .await
            .assert_status(StatusCode::SEE_OTHER);
        let again = app
            .client
            .post("/signin")
            .form(&[
                ("name", "new.moderator"),
                ("password", "a calm river of paper boats"),
                ("next", "/moderation"),
            ])
            .send()
            .await;
        again.assert_header("location", "/moderation");
        let log = kintsugi::services::audit::latest(&app.state.db, 5).await?;
        assert!(
            log.iter()
                .any(|e| e.action == "user.add" && e.actor == "the.admin")
        );
        Ok(())
    })
    .await
}
