//! The authorisation matrix: every route of the site and of the API, for anonymous visitors
//! and for each role, against the access this test expects. A route added without a rule here
//! fails the test, and so does a rule that drifts from it.

use std::collections::BTreeSet;

use kintsugi::{auth::access::Access, routes, services::accounts::Role};
use kintsugi_tests::{Staff, TestApp, each_backend_with};
use poem::http::{Method, StatusCode};

use crate::support::{json, submit, text};

/// Who may use a route, as this test expects it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    Anyone,
    /// Feeds: the route lets anyone ask, and the handler applies the reading rule itself,
    /// to a session or to a personal feed token (reading is not open in these apps).
    Feeds,
    /// Signed in with any role (reading is not open in these apps).
    Readers,
    /// Signed in with any role, whatever the reading setting.
    Accounts,
    Moderators,
    /// Policy owners and admins.
    PolicyOwners,
    /// Policy owners, moderators and admins: who look after recurring patterns. The route
    /// lets any account in; the service refuses readers.
    PatternKeepers,
    Admins,
}

impl Expect {
    fn allows(self, role: Option<Role>) -> bool {
        match (self, role) {
            (Expect::Anyone, _) => true,
            (_, None) => false,
            (Expect::Readers | Expect::Accounts | Expect::Feeds, Some(_)) => true,
            (Expect::Moderators, Some(role)) => matches!(role, Role::Moderator | Role::Admin),
            (Expect::PolicyOwners, Some(role)) => matches!(role, Role::PolicyOwner | Role::Admin),
            (Expect::PatternKeepers, Some(role)) => role != Role::Reader,
            (Expect::Admins, Some(role)) => role == Role::Admin,
        }
    }

    fn access(self) -> Access {
        match self {
            Expect::Anyone | Expect::Feeds => Access::Anyone,
            Expect::Readers => Access::Readers,
            Expect::Accounts => Access::Staff(Role::Reader),
            Expect::Moderators => Access::Staff(Role::Moderator),
            Expect::PolicyOwners => Access::Staff(Role::PolicyOwner),
            Expect::PatternKeepers => Access::Staff(Role::Reader),
            Expect::Admins => Access::Staff(Role::Admin),
        }
    }
}

/// Every page route. Signing out comes last, as it ends the session the others use.
const PAGES: &[(&str, &str, Expect)] = &[
    ("GET", "/", Expect::Anyone),
    ("GET", "/report", Expect::Anyone),
    ("POST", "/report", Expect::Anyone),
    ("GET", "/receipt", Expect::Anyone),
    ("POST", "/receipt", Expect::Anyone),
    ("POST", "/receipt/detail", Expect::Anyone),
    ("POST", "/receipt/withdraw", Expect::Anyone),
    ("POST", "/receipt/review", Expect::Anyone),
    ("GET", "/signin", Expect::Anyone),
    ("POST", "/signin", Expect::Anyone),
    ("GET", "/healthz", Expect::Anyone),
    ("GET", "/search", Expect::Readers),
    ("GET", "/reports/:ref", Expect::Readers),
    ("POST", "/reports/:ref/signals", Expect::Accounts),
    ("POST", "/reports/:ref/guidelines", Expect::Moderators),
    ("GET", "/guidelines", Expect::Readers),
    ("GET", "/guidelines/:slug", Expect::Readers),
    ("GET", "/guidelines/:slug/history", Expect::Readers),
    (
        "GET",
        "/guidelines/:slug/revisions/:number",
        Expect::Readers,
    ),
    ("GET", "/guidelines/:slug/diff", Expect::Readers),
    ("GET", "/guidelines/:slug/new-section", Expect::PolicyOwners),
    ("POST", "/guidelines/:slug/sections", Expect::PolicyOwners),
    (
        "GET",
        "/guidelines/:slug/sections/:anchor/edit",
        Expect::PolicyOwners,
    ),
    (
        "POST",
        "/guidelines/:slug/sections/:anchor",
        Expect::PolicyOwners,
    ),
    (
        "POST",
        "/guidelines/:slug/sections/:anchor/move",
        Expect::PolicyOwners,
    ),
    (
        "POST",
        "/guidelines/:slug/sections/:anchor/retire",
        Expect::PolicyOwners,
    ),
    ("GET", "/patterns", Expect::PatternKeepers),
    ("GET", "/patterns/:id", Expect::PatternKeepers),
    ("POST", "/patterns/:id/status", Expect::PatternKeepers),
    ("GET", "/lessons/patterns/:id", Expect::Readers),
    ("GET", "/trends", Expect::PolicyOwners),
    ("GET", "/trends.csv", Expect::PolicyOwners),
    ("GET", "/suggestions", Expect::PolicyOwners),
    ("GET", "/suggestions/:suggestion", Expect::PolicyOwners),
    (
        "POST",
        "/suggestions/:suggestion/accept",
        Expect::PolicyOwners,
    ),
    (
        "POST",
        "/suggestions/:suggestion/reject",
        Expect::PolicyOwners,
    ),
    (
        "POST",
        "/suggestions/:suggestion/defer",
        Expect::PolicyOwners,
    ),
    ("GET", "/feeds/lessons.atom", Expect::Feeds),
    ("GET", "/feeds/guidelines.atom", Expect::Feeds),
    ("GET", "/digest", Expect::Readers),
    ("GET", "/digest/:month", Expect::Readers),
    ("GET", "/digest/unsubscribe/:token", Expect::Anyone),
    ("POST", "/digest/unsubscribe/:token", Expect::Anyone),
    ("GET", "/account", Expect::Accounts),
    ("POST", "/account/feed-token", Expect::Accounts),
    ("POST", "/account/feed-token/revoke", Expect::Accounts),
    ("POST", "/account/digest", Expect::Accounts),
    ("POST", "/account/digest/unsubscribe", Expect::Accounts),
    ("POST", "/account/password", Expect::Accounts),
    ("POST", "/account/tokens", Expect::Accounts),
    ("POST", "/account/tokens/:id/revoke", Expect::Accounts),
    ("GET", "/moderation", Expect::Moderators),
    ("GET", "/moderation/:ref", Expect::Moderators),
    ("POST", "/moderation/:ref/draft", Expect::Moderators),
    ("POST", "/moderation/:ref/redactions", Expect::Moderators),
    ("POST", "/moderation/:ref/ask", Expect::Moderators),
    ("POST", "/moderation/:ref/publish", Expect::Moderators),
    ("POST", "/moderation/:ref/reject", Expect::Moderators),
    ("POST", "/moderation/:ref/merge", Expect::Moderators),
    ("GET", "/admin/users", Expect::Admins),
    ("POST", "/admin/users", Expect::Admins),
    ("POST", "/admin/users/:name/disable", Expect::Admins),
    ("GET", "/admin/audit", Expect::Admins),
    ("GET", "/admin/units", Expect::Admins),
    ("POST", "/admin/units/headcount", Expect::Admins),
    ("GET", "/admin/thesaurus", Expect::Admins),
    ("POST", "/admin/thesaurus/groups", Expect::Admins),
    ("GET", "/admin/thesaurus/groups/:n", Expect::Admins),
    ("POST", "/admin/thesaurus/groups/:n", Expect::Admins),
    ("POST", "/admin/thesaurus/groups/:n/remove", Expect::Admins),
    ("POST", "/admin/thesaurus/reset", Expect::Admins),
    ("GET", "/admin/suggestion-templates", Expect::Admins),
    ("POST", "/admin/suggestion-templates", Expect::Admins),
    ("POST", "/admin/suggestion-templates/reset", Expect::Admins),
    ("POST", "/signout", Expect::Anyone),
];

/// Every API operation, as the spec names them.
const API: &[(&str, &str, Expect)] = &[
    ("post", "/v1/reports", Expect::Anyone),
    ("get", "/v1/reports/{ref}", Expect::Readers),
    ("get", "/v1/search", Expect::Readers),
    ("get", "/v1/reports/{ref}/similar", Expect::Readers),
    ("post", "/v1/similar", Expect::Readers),
    ("post", "/v1/receipts/status", Expect::Anyone),
    ("post", "/v1/receipts/details", Expect::Anyone),
    ("post", "/v1/receipts/withdraw", Expect::Anyone),
    ("post", "/v1/receipts/review", Expect::Anyone),
    ("get", "/v1/factors", Expect::Anyone),
    ("get", "/v1/units", Expect::Anyone),
    ("post", "/v1/reports/{ref}/signals", Expect::Accounts),
    ("post", "/v1/hints", Expect::Anyone),
    ("get", "/v1/moderation/queue", Expect::Moderators),
    ("get", "/v1/moderation/reports/{ref}", Expect::Moderators),
    (
        "post",
        "/v1/moderation/reports/{ref}/draft",
        Expect::Moderators,
    ),
    (
        "post",
        "/v1/moderation/reports/{ref}/redactions",
        Expect::Moderators,
    ),
    (
        "post",
        "/v1/moderation/reports/{ref}/ask",
        Expect::Moderators,
    ),
    (
        "post",
        "/v1/moderation/reports/{ref}/publish",
        Expect::Moderators,
    ),
    (
        "post",
        "/v1/moderation/reports/{ref}/reject",
        Expect::Moderators,
    ),
    (
        "post",
        "/v1/moderation/reports/{ref}/merge",
        Expect::Moderators,
    ),
    ("get", "/v1/audit", Expect::Admins),
    ("put", "/v1/units/headcount", Expect::Admins),
    ("get", "/v1/guidelines", Expect::Readers),
    ("post", "/v1/guidelines", Expect::PolicyOwners),
    ("get", "/v1/guidelines/search", Expect::Readers),
    ("get", "/v1/guidelines/{slug}", Expect::Readers),
    (
        "get",
        "/v1/guidelines/{slug}/sections/{anchor}",
        Expect::Readers,
    ),
    (
        "put",
        "/v1/guidelines/{slug}/sections/{anchor}",
        Expect::PolicyOwners,
    ),
    (
        "post",
        "/v1/guidelines/{slug}/sections/{anchor}/move",
        Expect::PolicyOwners,
    ),
    (
        "post",
        "/v1/guidelines/{slug}/sections/{anchor}/retire",
        Expect::PolicyOwners,
    ),
    ("get", "/v1/guidelines/{slug}/revisions", Expect::Readers),
    ("get", "/v1/guidelines/{slug}/compare", Expect::Readers),
    (
        "get",
        "/v1/guidelines/{slug}/revisions/{number}",
        Expect::Readers,
    ),
    ("get", "/v1/reports/{ref}/guidelines", Expect::Readers),
    ("post", "/v1/reports/{ref}/guidelines", Expect::Moderators),
    (
        "delete",
        "/v1/reports/{ref}/guidelines/{slug}/{anchor}",
        Expect::Moderators,
    ),
    ("get", "/v1/patterns", Expect::PatternKeepers),
    ("get", "/v1/patterns/{id}", Expect::PatternKeepers),
    ("post", "/v1/patterns/{id}/status", Expect::PatternKeepers),
    ("get", "/v1/patterns/{id}/effect", Expect::PolicyOwners),
    ("get", "/v1/trends", Expect::PolicyOwners),
    ("get", "/v1/suggestions", Expect::PolicyOwners),
    ("get", "/v1/suggestions/{id}", Expect::PolicyOwners),
    ("post", "/v1/suggestions/{id}/accept", Expect::PolicyOwners),
    ("post", "/v1/suggestions/{id}/reject", Expect::PolicyOwners),
    ("post", "/v1/suggestions/{id}/defer", Expect::PolicyOwners),
];

const ROLES: [Option<Role>; 5] = [
    None,
    Some(Role::Reader),
    Some(Role::Moderator),
    Some(Role::PolicyOwner),
    Some(Role::Admin),
];

#[tokio::test]
async fn every_page_route_has_the_expected_rule() {
    let actual: BTreeSet<(String, String, String)> = routes::page_rules()
        .into_iter()
        .map(|r| {
            (
                r.method.to_string(),
                r.path.to_owned(),
                format!("{:?}", r.access),
            )
        })
        .collect();
    let expected: BTreeSet<(String, String, String)> = PAGES
        .iter()
        .map(|(m, p, e)| {
            (
                (*m).to_owned(),
                (*p).to_owned(),
                format!("{:?}", e.access()),
            )
        })
        .collect();
    let missing: Vec<_> = actual.difference(&expected).collect();
    let extra: Vec<_> = expected.difference(&actual).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "routes without the expected rule: {missing:?}; expected but absent: {extra:?}"
    );
}

fn denied(status: StatusCode, location: Option<&str>, body: &str) -> bool {
    status == StatusCode::FORBIDDEN
        || (status == StatusCode::SEE_OTHER && location.is_some_and(|l| l.starts_with("/signin")))
        || (status == StatusCode::UNAUTHORIZED && body.contains("sign in to see this page"))
}

#[tokio::test]
async fn each_role_reaches_exactly_its_pages() -> anyhow::Result<()> {
    each_backend_with(
        |_| {},
        async |app| {
            let (report_ref, _) = submit(&app, "A report to moderate").await?;
            for role in ROLES {
                let staff = signed_in(&app, role).await?;
                for (method, path, expect) in PAGES {
                    let uri = path
                        .replace(":ref", &report_ref)
                        .replace(":slug", "no-guideline")
                        .replace(":anchor", "no-section")
                        .replace(":number", "1")
                        .replace(":month", "2026-01")
                        .replace(":token", "1.nothing")
                        .replace(":id", "999999")
                        .replace(":suggestion", "999999")
                        .replace(":name", "nobody");
                    let mut request = if *method == "GET" {
                        app.client.get(&uri)
                    } else {
                        let csrf = staff.as_ref().map(|s| s.csrf.clone()).unwrap_or_default();
                        app.client.post(&uri).form(&[("csrf_token", csrf)])
                    };
                    if let Some(staff) = &staff {
                        request = request.header("cookie", &staff.cookie);
                    }
                    let response = request.send().await;
                    let status = response.0.status();
                    let location = response
                        .0
                        .headers()
                        .get("location")
                        .and_then(|l| l.to_str().ok())
                        .map(str::to_owned);
                    let body = text(response).await?;
                    let allowed = expect.allows(role);
                    assert_eq!(
                        !denied(status, location.as_deref(), &body),
                        allowed,
                        "{method} {path} as {role:?}: {status}"
                    );
                    assert!(
                        !status.is_server_error(),
                        "{method} {path} as {role:?}: {status}"
                    );
                }
            }
            Ok(())
        },
    )
    .await
}

#[tokio::test]
async fn each_role_reaches_exactly_its_api_operations() -> anyhow::Result<()> {
    each_backend_with(
        |_| {},
        async |app| {
            let (report_ref, _) = submit(&app, "A report to moderate").await?;
            let spec = json(app.client.get("/api/openapi.json").send().await).await?;
            let mut operations = BTreeSet::new();
            for (path, methods) in spec["paths"].as_object().into_iter().flatten() {
                for method in methods.as_object().into_iter().flatten().map(|(m, _)| m) {
                    operations.insert((method.clone(), path.clone()));
                }
            }
            let expected: BTreeSet<(String, String)> = API
                .iter()
                .map(|(m, p, _)| ((*m).to_owned(), (*p).to_owned()))
                .collect();
            assert_eq!(
                operations, expected,
                "every API operation needs a row in this matrix"
            );

            for role in ROLES {
                let staff = signed_in(&app, role).await?;
                for (method, path, expect) in API {
                    let uri = format!(
                        "/api{}",
                        path.replace("{ref}", &report_ref)
                            .replace("{slug}", "no-guideline")
                            .replace("{anchor}", "no-section")
                            .replace("{number}", "1")
                            .replace("{id}", "999999")
                    );
                    let method = Method::from_bytes(method.to_uppercase().as_bytes())?;
                    // Reading operations read their body before checking access: give them one.
                    let body = match *path {
                        "/v1/similar" => serde_json::json!({"title": "t", "narrative": "n"}),
                        _ => serde_json::json!({}),
                    };
                    let mut request = app.client.request(method.clone(), &uri);
                    if method == Method::POST || method == Method::PUT {
                        request = request.body_json(&body);
                    }
                    if let Some(staff) = &staff {
                        request = request.header("authorization", staff.bearer());
                    }
                    let status = request.send().await.0.status();
                    let allowed = expect.allows(role);
                    let refused =
                        status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN;
                    assert_eq!(!refused, allowed, "{method} {path} as {role:?}: {status}");
                    assert!(
                        !status.is_server_error(),
                        "{method} {path} as {role:?}: {status}"
                    );
                }
            }
            Ok(())
        },
    )
    .await
}

#[tokio::test]
async fn open_reading_lets_anyone_read_but_nothing_more() -> anyhow::Result<()> {
    kintsugi_tests::each_backend(async |app| {
        let (report_ref, _) = submit(&app, "A report to moderate").await?;
        app.client.get("/search").send().await.assert_status_is_ok();
        app.client
            .get("/api/v1/search")
            .send()
            .await
            .assert_status_is_ok();
        let moderation = app.client.get("/moderation").send().await;
        moderation.assert_status(StatusCode::SEE_OTHER);
        app.client
            .get(format!("/api/v1/moderation/reports/{report_ref}"))
            .send()
            .await
            .assert_status(StatusCode::UNAUTHORIZED);
        Ok(())
    })
    .await
}

async fn signed_in(app: &TestApp, role: Option<Role>) -> anyhow::Result<Option<Staff>> {
    match role {
        None => Ok(None),
        Some(role) => Ok(Some(
            app.staff(&format!("someone.{}", role.slug()), role).await?,
        )),
    }
}
