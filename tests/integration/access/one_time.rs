//! An account with a one-time password: only the password form answers until it is replaced.

use kintsugi::{
    auth::access::Access,
    routes,
    services::accounts::{self, Password, Role, tokens},
};
use kintsugi_tests::each_backend_with;
use poem::http::{Method, StatusCode};

use crate::support::{submit, text};

const ONE_TIME: &str = "handed over at the desk";
const CHOSEN: &str = "a calm river of paper boats";

#[tokio::test]
async fn a_one_time_password_opens_only_the_password_form() -> anyhow::Result<()> {
    each_backend_with(
        |_| {},
        async |app| {
            let db = &app.state.db;
            let (report_ref, _) = submit(&app, "A report to moderate").await?;
            let account = accounts::add(
                db,
                "command line",
                "new.admin",
                Role::Admin,
                ONE_TIME,
                Password::OneTime,
            )
            .await?;
            // A token the operator issued with the account acts for scripts as before.
            let token = tokens::issue(db, "command line", account.id, "script").await?;
            let (cookie, csrf) = app.sign_in("new.admin", ONE_TIME).await?;

            for rule in routes::page_rules() {
                let password_form = matches!(
                    (rule.method.as_str(), rule.path),
                    ("GET", "/account") | ("POST", "/account/password")
                );
                if rule.access == Access::Anyone || password_form {
                    continue;
                }
                let uri = rule
                    .path
                    .replace(":ref", &report_ref)
                    .replace(":id", "1")
                    .replace(":name", "new.admin");
                let request = if rule.method == Method::GET {
                    app.client.get(&uri)
                } else {
                    let form = [("csrf_token", csrf.as_str()), ("label", "sneaky")];
                    app.client.post(&uri).form(&form)
                };
                let response = request.header("cookie", &cookie).send().await;
                let what = format!("{} {}", rule.method, rule.path);
                assert_eq!(response.0.status(), StatusCode::SEE_OTHER, "{what}");
                response.assert_header("location", "/account");
            }
            // Nothing was done on the way: no token issued, the account still enabled.
            assert_eq!(tokens::list_for(db, account.id).await?.len(), 1);
            let page = app
                .client
                .get("/account")
                .header("cookie", &cookie)
                .send()
                .await;
            let page = text(page).await?;
            assert!(page.contains("Choose your own password now"));
            assert!(
                !page.contains("Create a token"),
                "no token before the change"
            );

            // Pages for anyone stay as they are for anyone: a report is never lost to this.
            let form = app
                .client
                .get("/report")
                .header("cookie", &cookie)
                .send()
                .await;
            form.assert_status_is_ok();
            // The API has no password form: the session is no one there, the token is itself.
            let search = |auth: (&'static str, String)| {
                app.client
                    .get("/api/v1/search")
                    .header(auth.0, auth.1)
                    .send()
            };
            search(("cookie", cookie.clone()))
                .await
                .assert_status(StatusCode::UNAUTHORIZED);
            search(("authorization", format!("Bearer {token}")))
                .await
                .assert_status_is_ok();

            app.client
                .post("/account/password")
                .header("cookie", &cookie)
                .form(&[
                    ("csrf_token", csrf.as_str()),
                    ("current", ONE_TIME),
                    ("new", CHOSEN),
                ])
                .send()
                .await
                .assert_status(StatusCode::SEE_OTHER);
            let (cookie, _) = app.sign_in("new.admin", CHOSEN).await?;
            let users = app
                .client
                .get("/admin/users")
                .header("cookie", &cookie)
                .send();
            users.await.assert_status_is_ok();
            search(("cookie", cookie)).await.assert_status_is_ok();
            Ok(())
        },
    )
    .await
}
