//! The policy owner's inbox: the list and one suggestion, decisions refused beside their
//! fields with the text kept, accepting that leads to the revision, the admins' templates, and
//! everyone else kept out.

use kintsugi::services::accounts::Role;
use kintsugi_tests::{Staff, TestApp, each_backend};

use crate::{
    moderation::moderate,
    suggestions::{COVERING, drafted, only},
    support::{number, text},
};

/// A page as `staff` sees it: its status and its text.
async fn page(app: &TestApp, staff: &Staff, path: &str) -> anyhow::Result<(u16, String)> {
    let response = app
        .client
        .get(path)
        .header("cookie", &staff.cookie)
        .send()
        .await;
    let status = response.0.status().as_u16();
    Ok((status, text(response).await?))
}

/// Posts a form as `staff`: the status, the `Location` header and the page.
async fn send(
    app: &TestApp,
    staff: &Staff,
    path: &str,
    form: &[(&str, &str)],
) -> anyhow::Result<(u16, String, String)> {
    let response = moderate(app, staff, path, form).await;
    let status = response.0.status().as_u16();
    let location = response
        .0
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    Ok((status, location, text(response).await?))
}

/// Text as a page shows it, escaped.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
        .replace('=', "&#x3D;")
        .replace('`', "&#x60;")
}

/// A decision sent, the error it should meet, and the text it should keep.
type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str, &'a str);

async fn revisions(app: &TestApp) -> anyhow::Result<i64> {
    number(
        app,
        "SELECT CAST(COUNT(*) AS BIGINT) FROM guideline_revisions",
    )
    .await
}

#[tokio::test]
async fn a_policy_owner_reads_the_inbox_and_a_suggestion() -> anyhow::Result<()> {
    each_backend(async |app| {
        drafted(&app, &[COVERING]).await?;
        let suggestion = only(&app).await?;
        let owner = app.staff("po.licy", Role::PolicyOwner).await?;

        let (status, home) = page(&app, &owner, "/").await?;
        assert_eq!(status, 200);
        assert!(
            home.contains("1 suggested guideline update waits") && home.contains("/suggestions"),
            "{home}"
        );

        let (status, inbox) = page(&app, &owner, "/suggestions").await?;
        assert_eq!(status, 200, "{inbox}");
        let id = suggestion.id;
        for expected in [
            format!("href=\"/suggestions/{id}\""),
            format!("href=\"/patterns/{}\"", suggestion.pattern_id),
            "Email §1 “Sending to many people”".to_owned(),
            escaped(&suggestion.reason),
            "Reinforce a section".to_owned(),
        ] {
            assert!(inbox.contains(&expected), "{expected} in {inbox}");
        }
        let (_, decided) = page(&app, &owner, "/suggestions?status=decided").await?;
        assert!(
            decided.contains("Nothing has been decided yet"),
            "{decided}"
        );

        let (status, shown) = page(&app, &owner, &format!("/suggestions/{id}")).await?;
        assert_eq!(status, 200, "{shown}");
        for expected in [
            escaped(&suggestion.pattern_explanation),
            // The section as it stands, through the guidelines' renderer.
            "Put a mailing list in the Bcc field".to_owned(),
            // The diff marks what the draft adds in words.
            "<ins><span class=\"visually-hidden\">[added: </span>".to_owned(),
            format!(">Accepting suggestion {id}: "),
            format!("action=\"/suggestions/{id}/accept\""),
            format!("action=\"/suggestions/{id}/reject\""),
            format!("action=\"/suggestions/{id}/defer\""),
        ] {
            assert!(shown.contains(&expected), "{expected} in {shown}");
        }
        for quoted in &suggestion.quoted {
            assert!(
                shown.contains(&format!("href=\"/reports/{quoted}\"")),
                "{quoted}"
            );
        }
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_refused_decision_comes_back_with_the_text_kept() -> anyhow::Result<()> {
    each_backend(async |app| {
        drafted(&app, &[COVERING]).await?;
        let id = only(&app).await?.id;
        let owner = app.staff("po.licy", Role::PolicyOwner).await?;
        let before = revisions(&app).await?;
        let edited = "Put every list in **Bcc**. A text the owner spent a while on.";
        let cases: [Case; 5] = [
            (
                "accept",
                vec![
                    ("heading", "Sending to many people"),
                    ("text", edited),
                    ("rationale", " "),
                ],
                "Say why the guideline changes",
                edited,
            ),
            (
                "accept",
                vec![
                    ("heading", "Sending to many people"),
                    ("text", edited),
                    ("rationale", "Because."),
                    ("effective_from", "15/01/2026"),
                ],
                "is not a date: write YYYY-MM-DD",
                edited,
            ),
            (
                "accept",
                vec![
                    ("heading", "Sending to many people"),
                    ("text", COVERING.2),
                    ("rationale", "Because."),
                ],
                "is the section as it stands",
                COVERING.2,
            ),
            (
                "reject",
                vec![("rationale", "   ")],
                "Say why the guideline should not change",
                "",
            ),
            (
                "defer",
                vec![("until", "2001-01-01")],
                "must be after today",
                "2001-01-01",
            ),
        ];
        for (action, form, error, kept) in cases {
            let path = format!("/suggestions/{id}/{action}");
            let (status, _, body) = send(&app, &owner, &path, &form).await?;
            assert_eq!(status, 422, "{action}: {error}: {body}");
            assert!(body.contains(&escaped(error)), "{error} in {body}");
            assert!(body.contains("Nothing you wrote has been lost."), "{body}");
            assert!(body.contains(&format!("href=\"#{action}-")), "{body}");
            assert!(body.contains(&escaped(kept)), "{kept} kept in {body}");
        }
        assert_eq!(revisions(&app).await?, before, "nothing was stored");
        assert_eq!(only(&app).await?.status.slug(), "open");
        Ok(())
    })
    .await
}

#[tokio::test]
async fn accepting_leads_to_the_new_revision_and_the_decision_stays() -> anyhow::Result<()> {
    each_backend(async |app| {
        drafted(&app, &[COVERING]).await?;
        let suggestion = only(&app).await?;
        let id = suggestion.id;
        let owner = app.staff("po.licy", Role::PolicyOwner).await?;
        let text = format!("{}\n\nEdited by the owner.", suggestion.proposed_text);
        let rationale = format!("Accepting suggestion {id}: {}", suggestion.reason);
        let form = [
            ("heading", "Sending to many people"),
            ("text", text.as_str()),
            ("rationale", rationale.as_str()),
            ("effective_from", "2026-01-15"),
        ];
        let path = format!("/suggestions/{id}/accept");
        let (status, location, _) = send(&app, &owner, &path, &form).await?;
        assert_eq!(status, 303);
        let revision = revisions(&app).await?;
        assert_eq!(location, format!("/guidelines/email/revisions/{revision}"));
        let (_, shown) = page(&app, &owner, &location).await?;
        for expected in [
            format!("href=\"/suggestions/{id}\""),
            format!("href=\"/patterns/{}\"", suggestion.pattern_id),
            "Edited by the owner.".to_owned(),
        ] {
            assert!(shown.contains(&expected), "{expected} in {shown}");
        }

        // Decided: its page shows the decision instead of the forms, and a second try is
        // refused on the page rather than making a second revision.
        let (_, decided) = page(&app, &owner, &format!("/suggestions/{id}")).await?;
        assert!(decided.contains("Accepted on"), "{decided}");
        assert!(
            !decided.contains(&format!("action=\"{path}\"")),
            "{decided}"
        );
        let (status, _, again) = send(&app, &owner, &path, &form).await?;
        assert_eq!(status, 409, "{again}");
        assert!(again.contains("nothing is left to decide"), "{again}");
        assert_eq!(revisions(&app).await?, revision);
        let (_, inbox) = page(&app, &owner, "/suggestions?status=decided").await?;
        assert!(inbox.contains(&format!("href=\"{location}\"")), "{inbox}");
        Ok(())
    })
    .await
}

#[tokio::test]
async fn rejecting_and_deferring_lead_back_to_the_inbox() -> anyhow::Result<()> {
    each_backend(async |app| {
        drafted(&app, &[COVERING]).await?;
        let id = only(&app).await?.id;
        let owner = app.staff("po.licy", Role::PolicyOwner).await?;
        let until = (kintsugi::today() + time::Duration::days(20)).to_string();
        let path = format!("/suggestions/{id}/defer");
        let (status, location, _) = send(&app, &owner, &path, &[("until", &until)]).await?;
        assert_eq!(
            (status, location.as_str()),
            (303, format!("/suggestions?deferred={id}").as_str())
        );
        let (_, deferred) = page(&app, &owner, "/suggestions?status=deferred").await?;
        assert!(deferred.contains(&format!("until {until}")), "{deferred}");

        let path = format!("/suggestions/{id}/reject");
        let why = "The rule is clear; the tool is what needs to change.";
        let (status, location, _) = send(&app, &owner, &path, &[("rationale", why)]).await?;
        assert_eq!(
            (status, location.as_str()),
            (303, format!("/suggestions?rejected={id}").as_str())
        );
        let (_, inbox) = page(&app, &owner, &location).await?;
        assert!(
            inbox.contains(&format!("Suggestion {id} was rejected")),
            "{inbox}"
        );
        let (_, decided) = page(&app, &owner, "/suggestions?status=decided").await?;
        assert!(decided.contains(&escaped(why)), "{decided}");
        Ok(())
    })
    .await
}

#[tokio::test]
async fn only_policy_owners_and_admins_see_or_decide_suggestions() -> anyhow::Result<()> {
    each_backend(async |app| {
        drafted(&app, &[COVERING]).await?;
        let id = only(&app).await?.id;
        let detail = format!("/suggestions/{id}");
        for role in [Role::Reader, Role::Moderator] {
            let staff = app.staff(&format!("someone.{}", role.slug()), role).await?;
            for path in [
                "/suggestions",
                detail.as_str(),
                "/admin/suggestion-templates",
            ] {
                assert_eq!(page(&app, &staff, path).await?.0, 403, "{path} as {role:?}");
            }
            let accept = format!("{detail}/accept");
            let (status, _, _) = send(&app, &staff, &accept, &[("rationale", "x")]).await?;
            assert_eq!(status, 403, "accepting as {role:?}");
            let (_, home) = page(&app, &staff, "/").await?;
            assert!(!home.contains("href=\"/suggestions\""), "{role:?}: {home}");
        }
        let owner = app.staff("po.licy", Role::PolicyOwner).await?;
        assert_eq!(
            page(&app, &owner, "/admin/suggestion-templates").await?.0,
            403
        );
        let anonymous = app.client.get(&detail).send().await.0.status().as_u16();
        assert!(matches!(anonymous, 303 | 401), "{anonymous}");
        assert_eq!(only(&app).await?.status.slug(), "open");
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_broken_template_comes_back_with_its_line_and_the_text_kept() -> anyhow::Result<()> {
    each_backend(async |app| {
        let admin = app.staff("ad.min", Role::Admin).await?;
        let (status, shown) = page(&app, &admin, "/admin/suggestion-templates").await?;
        assert_eq!(status, 200);
        assert!(shown.contains("The shipped template is in use."), "{shown}");

        let broken = "{{pattern.title}}\n{{#each quotes}}never closed";
        let path = "/admin/suggestion-templates";
        let form = [("kind", "add"), ("text", broken)];
        let (status, _, body) = send(&app, &admin, path, &form).await?;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("line 2"), "the error names the line: {body}");
        assert!(body.contains("href=\"#add-text\""), "{body}");
        assert!(body.contains(&escaped(broken)), "{body}");

        let good = "{{pattern.explanation}}\n\n{{#each quotes}}> {{text}}\n{{/each}}";
        let form = [("kind", "add"), ("text", good)];
        let (status, location, _) = send(&app, &admin, path, &form).await?;
        assert_eq!(
            (status, location.as_str()),
            (303, "/admin/suggestion-templates?saved=add")
        );
        let (_, saved) = page(&app, &admin, &location).await?;
        assert!(saved.contains("An admin’s template is in use."), "{saved}");
        assert!(saved.contains(&escaped(good)), "{saved}");

        let reset = "/admin/suggestion-templates/reset";
        let (status, location, _) = send(&app, &admin, reset, &[("kind", "add")]).await?;
        assert_eq!(
            (status, location.as_str()),
            (303, "/admin/suggestion-templates?reset=add")
        );
        let (_, back) = page(&app, &admin, &location).await?;
        assert!(!back.contains("An admin’s template is in use."), "{back}");
        let (_, users) = page(&app, &admin, "/admin/users").await?;
        assert!(
            users.contains("href=\"/admin/suggestion-templates\""),
            "{users}"
        );
        Ok(())
    })
    .await
}
