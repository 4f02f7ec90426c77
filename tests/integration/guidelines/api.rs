//! The guidelines API: the shapes the issue names, each change a revision, every refusal a
//! 4xx naming its field.

use kintsugi::services::accounts::Role;
use kintsugi_tests::{Staff, TestApp, each_backend};
use poem::{http::StatusCode, test::TestResponse};
use serde_json::{Value, json};

use super::lesson;
use crate::support::json as read_json;

async fn send(
    app: &TestApp,
    method: &str,
    path: &str,
    staff: Option<&Staff>,
    body: Option<Value>,
) -> TestResponse {
    let client = &app.client;
    let mut request = match method {
        "POST" => client.post(path),
        "PUT" => client.put(path),
        "DELETE" => client.delete(path),
        _ => client.get(path),
    };
    if let Some(staff) = staff {
        request = request.header("authorization", staff.bearer());
    }
    match body {
        Some(body) => request.body_json(&body).send().await,
        None => request.send().await,
    }
}

/// The status and JSON body of a request.
async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    staff: Option<&Staff>,
    body: Option<Value>,
) -> anyhow::Result<(StatusCode, Value)> {
    let response = send(app, method, path, staff, body).await;
    let status = response.0.status();
    Ok((status, read_json(response).await?))
}

fn fields(body: &Value) -> Vec<String> {
    body["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["field"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn a_policy_owner_writes_a_guideline_and_readers_read_it_and_its_history()
-> anyhow::Result<()> {
    each_backend(async |app| {
        let owner = app.staff("po.licy", Role::PolicyOwner).await?;
        let evidence = lesson(&app, "Partners saw each other's addresses").await?;
        let (status, body) = call(&app, "POST", "/api/v1/guidelines", Some(&owner), Some(json!({
            "title": "Email", "summary": "How we write email.", "owner_role": "Head of communications",
            "rationale": "Our email rules, in one place."
        }))).await?;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!((body["revision"].as_u64(), body["guideline"]["slug"].as_str()), (Some(1), Some("email")));

        let section = "/api/v1/guidelines/email/sections/bcc-for-external-lists";
        let (status, body) = call(&app, "PUT", section, Some(&owner), Some(json!({
            "heading": "Use Bcc for external lists", "markdown": "Put external recipients in **Bcc**.",
            "rationale": "Addresses were exposed."
        }))).await?;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let (status, body) = call(&app, "PUT", section, Some(&owner), Some(json!({
            "markdown": "Put external recipients in **Bcc**, always.",
            "rationale": "It happened again.", "effective_from": "2026-02-01", "evidence": [evidence]
        }))).await?;
        assert_eq!((status, body["revision"].as_u64(), body["changed"].as_bool()), (StatusCode::OK, Some(3), Some(true)));
        let (_, same) = call(&app, "PUT", section, Some(&owner), Some(json!({
            "markdown": "Put external recipients in **Bcc**, always.", "rationale": "Again."
        }))).await?;
        assert_eq!((same["revision"].as_u64(), same["changed"].as_bool()), (Some(3), Some(false)));

        // Read as the issue shapes it.
        let (status, guideline) = call(&app, "GET", "/api/v1/guidelines/email", None, None).await?;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(guideline["slug"], "email");
        assert_eq!(guideline["title"], "Email");
        assert_eq!(guideline["summary"], "How we write email.");
        assert_eq!(guideline["revision"], 3);
        let first = &guideline["sections"][0];
        assert_eq!(first["anchor"], "bcc-for-external-lists");
        assert_eq!(first["heading"], "Use Bcc for external lists");
        assert_eq!(first["markdown"], "Put external recipients in **Bcc**, always.");
        assert_eq!(first["html"], "<p>Put external recipients in <strong>Bcc</strong>, always.</p>\n");
        assert_eq!(first["lessons"], json!([]));
        let (_, list) = call(&app, "GET", "/api/v1/guidelines", None, None).await?;
        assert_eq!(list["guidelines"][0]["sections"], 1);

        let (_, history) = call(&app, "GET", "/api/v1/guidelines/email/revisions", None, None).await?;
        let revisions = history["revisions"].as_array().cloned().unwrap_or_default();
        assert_eq!(revisions.len(), 3);
        let latest = &revisions[0];
        assert_eq!(latest["number"], 3);
        assert_eq!(latest["author"], "po.licy");
        assert_eq!(latest["effective_from"], "2026-02-01");
        assert_eq!(latest["rationale"], "It happened again.");
        assert_eq!(latest["change"], "edit");
        assert_eq!(latest["evidence"], json!([{"kind": "lesson", "ref": evidence}]));
        assert!(latest["changed_on"].as_str().is_some_and(|t| t.ends_with('Z')));

        let (status, detail) = call(&app, "GET", "/api/v1/guidelines/email/revisions/3", None, None).await?;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(detail["number"], 3);
        assert_eq!(detail["diff"]["sections"][0]["status"], "edited");
        assert_eq!(
            detail["diff"]["sections"][0]["markdown_diff"],
            json!([
                {"mark": "same", "text": "Put external recipients in "},
                {"mark": "removed", "text": "**Bcc**."},
                {"mark": "added", "text": "**Bcc**, always."}
            ])
        );
        let (status, _) = call(&app, "GET", "/api/v1/guidelines/email/revisions/9", None, None).await?;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // Move and retire, one revision each; the retired anchor answers with its retirement.
        call(&app, "PUT", "/api/v1/guidelines/email/sections/tone", Some(&owner), Some(json!({
            "heading": "Mind the tone", "markdown": "Read it aloud.", "rationale": "Tone matters."
        }))).await?;
        let (status, moved) = call(&app, "POST", "/api/v1/guidelines/email/sections/tone/move", Some(&owner), Some(json!({
            "position": 1, "rationale": "Tone first."
        }))).await?;
        assert_eq!((status, moved["revision"].as_u64()), (StatusCode::OK, Some(5)));
        assert_eq!(moved["guideline"]["sections"][0]["anchor"], "tone");
        let (status, retired) = call(&app, "POST", "/api/v1/guidelines/email/sections/tone/retire", Some(&owner), Some(json!({
            "replaced_by": "bcc-for-external-lists", "rationale": "Folded into the Bcc rule."
        }))).await?;
        assert_eq!((status, retired["revision"].as_u64()), (StatusCode::OK, Some(6)));
        let (status, tone) = call(&app, "GET", "/api/v1/guidelines/email/sections/tone", None, None).await?;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(tone["section"]["replaced_by"], "bcc-for-external-lists");
        assert!(tone["section"]["retired_on"].is_string());
        Ok(())
    })
    .await
}

#[tokio::test]
async fn refusals_are_4xx_naming_the_field_and_store_nothing() -> anyhow::Result<()> {
    each_backend(async |app| {
        let owner = app.staff("po.licy", Role::PolicyOwner).await?;
        let reader = app.staff("re.ader", Role::Reader).await?;
        let moderator = app.staff("mo.derator", Role::Moderator).await?;
        call(&app, "POST", "/api/v1/guidelines", Some(&owner), Some(json!({"title": "Email", "rationale": "Start."}))).await?;
        let section = "/api/v1/guidelines/email/sections/bcc";
        let good = json!({"heading": "Use Bcc", "markdown": "Text.", "rationale": "Why."});
        assert_eq!(send(&app, "PUT", section, None, Some(good.clone())).await.0.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(send(&app, "PUT", section, Some(&reader), Some(good.clone())).await.0.status(), StatusCode::FORBIDDEN);
        assert_eq!(send(&app, "PUT", section, Some(&moderator), Some(good.clone())).await.0.status(), StatusCode::FORBIDDEN);
        for (body, field) in [
            (json!({"heading": "H", "markdown": "<script>alert(1)</script>", "rationale": "Why."}), "markdown"),
            (json!({"heading": "H", "markdown": "[x](javascript:alert(1))", "rationale": "Why."}), "markdown"),
            (json!({"heading": "H", "markdown": "a".repeat(100_000), "rationale": "Why."}), "markdown"),
            (json!({"heading": "H", "markdown": "Text."}), "rationale"),
            (json!({"heading": "H", "markdown": "Text.", "rationale": " "}), "rationale"),
            (json!({"heading": "H", "markdown": "Text.", "rationale": "Why.", "effective_from": "tomorrow"}), "effective_from"),
            (json!({"heading": "H", "markdown": "Text.", "rationale": "Why.", "evidence": ["nope"]}), "evidence"),
            (json!({"markdown": "Text.", "rationale": "Why."}), "heading"),
            (json!({"heading": "H", "markdown": "Text.", "rationale": "Why.", "colour": "red"}), "colour"),
        ] {
            let (status, answer) = call(&app, "PUT", section, Some(&owner), Some(body)).await?;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
            assert_eq!(fields(&answer), [field], "{answer}");
        }
        let (status, answer) = call(&app, "PUT", "/api/v1/guidelines/email/sections/Not_An_Anchor", Some(&owner), Some(good.clone())).await?;
        assert_eq!((status, fields(&answer)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["anchor".to_owned()]));
        let (status, _) = call(&app, "PUT", "/api/v1/guidelines/nope/sections/bcc", Some(&owner), Some(good.clone())).await?;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, answer) = call(&app, "POST", "/api/v1/guidelines", Some(&owner), Some(json!({"title": "Email", "rationale": "Again."}))).await?;
        assert_eq!((status, fields(&answer)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["slug".to_owned()]));
        let huge = json!({"heading": "H", "markdown": "a".repeat(1024 * 1024), "rationale": "Why."});
        assert_eq!(send(&app, "PUT", section, Some(&owner), Some(huge)).await.0.status(), StatusCode::PAYLOAD_TOO_LARGE);
        // Nothing was stored: revision 1, no section.
        let (_, guideline) = call(&app, "GET", "/api/v1/guidelines/email", None, None).await?;
        assert_eq!((guideline["revision"].as_u64(), guideline["sections"].as_array().map(Vec::len)), (Some(1), Some(0)));
        // A retired section is a conflict; moving past the end names the position.
        call(&app, "PUT", section, Some(&owner), Some(good.clone())).await?;
        let (status, answer) = call(&app, "POST", "/api/v1/guidelines/email/sections/bcc/move", Some(&owner), Some(json!({"position": 4, "rationale": "Why."}))).await?;
        assert_eq!((status, fields(&answer)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["position".to_owned()]));
        call(&app, "POST", "/api/v1/guidelines/email/sections/bcc/retire", Some(&owner), Some(json!({"rationale": "Gone."}))).await?;
        let (status, answer) = call(&app, "PUT", section, Some(&owner), Some(good)).await?;
        assert_eq!(status, StatusCode::CONFLICT, "{answer}");
        assert!(answer["message"].as_str().is_some_and(|m| m.contains("was retired on")));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn moderators_link_lessons_and_readers_see_the_guidance() -> anyhow::Result<()> {
    each_backend(async |app| {
        let owner = app.staff("po.licy", Role::PolicyOwner).await?;
        let moderator = app.staff("mo.derator", Role::Moderator).await?;
        call(
            &app,
            "POST",
            "/api/v1/guidelines",
            Some(&owner),
            Some(json!({"title": "Email", "rationale": "Start."})),
        )
        .await?;
        call(
            &app,
            "PUT",
            "/api/v1/guidelines/email/sections/bcc",
            Some(&owner),
            Some(json!({"heading": "Use Bcc", "markdown": "Text.", "rationale": "Why."})),
        )
        .await?;
        let lesson = lesson(&app, "Partners saw each other's addresses").await?;
        let path = format!("/api/v1/reports/{lesson}/guidelines");
        let link = json!({"sections": ["email#bcc"]});
        assert_eq!(
            send(&app, "POST", &path, Some(&owner), Some(link.clone()))
                .await
                .0
                .status(),
            StatusCode::FORBIDDEN
        );
        let (status, body) = call(&app, "POST", &path, Some(&moderator), Some(link)).await?;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["linked"], 1);
        assert_eq!(body["sections"][0]["guideline"], "email");
        assert_eq!(body["sections"][0]["anchor"], "bcc");
        let (_, read) = call(&app, "GET", &path, None, None).await?;
        assert_eq!(read["sections"][0]["heading"], "Use Bcc");
        let (_, guideline) = call(&app, "GET", "/api/v1/guidelines/email", None, None).await?;
        assert_eq!(guideline["sections"][0]["lessons"], json!([lesson]));
        let (_, section) = call(
            &app,
            "GET",
            "/api/v1/guidelines/email/sections/bcc",
            None,
            None,
        )
        .await?;
        assert_eq!(section["lesson_count"], 1);
        assert_eq!(
            section["linked_lessons"][0]["title"],
            "Partners saw each other's addresses"
        );
        for (body, field) in [
            (json!({"sections": ["email"]}), "sections"),
            (json!({"sections": ["email#nope"]}), "sections"),
            (json!({"sections": []}), "sections"),
        ] {
            let (status, answer) = call(&app, "POST", &path, Some(&moderator), Some(body)).await?;
            assert_eq!(
                (status, fields(&answer)),
                (StatusCode::UNPROCESSABLE_ENTITY, vec![field.to_owned()]),
                "{answer}"
            );
        }
        let (status, _) = call(
            &app,
            "POST",
            "/api/v1/reports/AAAAAAAAAAAAAAAA/guidelines",
            Some(&moderator),
            Some(json!({"sections": ["email#bcc"]})),
        )
        .await?;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let unlink = format!("/api/v1/reports/{lesson}/guidelines/email/bcc");
        assert_eq!(
            send(&app, "DELETE", &unlink, Some(&moderator), None)
                .await
                .0
                .status(),
            StatusCode::OK
        );
        assert_eq!(
            send(&app, "DELETE", &unlink, Some(&moderator), None)
                .await
                .0
                .status(),
            StatusCode::NOT_FOUND
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn any_two_revisions_compare() -> anyhow::Result<()> {
    each_backend(async |app| {
        let owner = app.staff("po.licy", Role::PolicyOwner).await?;
        call(
            &app,
            "POST",
            "/api/v1/guidelines",
            Some(&owner),
            Some(json!({"title": "Email", "rationale": "Start."})),
        )
        .await?;
        let section = "/api/v1/guidelines/email/sections/bcc";
        for text in ["Use Bcc", "Use Bcc for lists", "Use Bcc for external lists"] {
            call(
                &app,
                "PUT",
                section,
                Some(&owner),
                Some(json!({"heading": "Use Bcc", "markdown": text, "rationale": "Why."})),
            )
            .await?;
        }
        let (status, body) = call(
            &app,
            "GET",
            "/api/v1/guidelines/email/compare?from=2&to=4",
            None,
            None,
        )
        .await?;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            (
                body["from"]["number"].as_u64(),
                body["to"]["number"].as_u64()
            ),
            (Some(2), Some(4))
        );
        assert_eq!(
            body["diff"]["sections"][0]["markdown_diff"],
            json!([
                {"mark": "same", "text": "Use Bcc"},
                {"mark": "added", "text": " for external lists"}
            ])
        );
        // Without numbers: the latest against the one before.
        let (_, latest) = call(&app, "GET", "/api/v1/guidelines/email/compare", None, None).await?;
        assert_eq!(
            (
                latest["from"]["number"].as_u64(),
                latest["to"]["number"].as_u64()
            ),
            (Some(3), Some(4))
        );
        let (status, _) = call(
            &app,
            "GET",
            "/api/v1/guidelines/email/compare?from=1&to=9",
            None,
            None,
        )
        .await?;
        assert_eq!(status, StatusCode::NOT_FOUND);
        Ok(())
    })
    .await
}
