//! Correcting a report's channel, impact and contributing factors on the draft form, and
//! one of them alone through the service.

use kintsugi::services::{
    accounts::{self, Password, Role},
    moderation::{self, Classification, DraftEdit},
};
use kintsugi_tests::{PASSWORD, Staff, TestApp, each_backend};
use poem::http::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

use crate::{
    moderation::{moderate, moderation_view, report_with_a_phone_number},
    support::{published, text},
};

async fn classify(
    app: &TestApp,
    moderator: &Staff,
    report_ref: &str,
    channel: &str,
    factors: &[&str],
) -> poem::test::TestResponse {
    let mut form = vec![
        ("title", "Invitation sent to the press list"),
        ("narrative", "I picked the press list."),
        ("classified", "yes"),
        ("channel", channel),
        ("impact", "serious"),
        ("action", "save"),
    ];
    form.extend(factors.iter().map(|f| ("factors", *f)));
    moderate(
        app,
        moderator,
        &format!("/moderation/{report_ref}/draft"),
        &form,
    )
    .await
}

#[tokio::test]
async fn a_moderator_corrects_channel_impact_and_factors() -> anyhow::Result<()> {
    each_backend(async |app| {
        let moderator = app.staff("mo.derator", Role::Moderator).await?;
        let (report_ref, _) = report_with_a_phone_number(&app).await?;
        let factors = ["time_pressure", "unclear_approval"];
        classify(&app, &moderator, &report_ref, "meeting", &factors)
            .await
            .assert_status_is_ok();
        let view = moderation_view(&app, &moderator, &report_ref).await?;
        assert_eq!(view["channel"], "meeting");
        assert_eq!(view["impact"], "serious");
        assert_eq!(view["factors"], json!(["Time pressure", "Unclear approval"]));
        let audit = app
            .state
            .db
            .query_all_raw(Statement::from_string(
                app.state.db.get_database_backend(),
                "SELECT actor, detail FROM audit_events WHERE action = 'report.classify'",
            ))
            .await?;
        let [entry] = audit.as_slice() else {
            anyhow::bail!("one classification should be audited, not {}", audit.len());
        };
        assert_eq!(entry.try_get::<String>("", "actor")?, "mo.derator");
        let detail: String = entry.try_get("", "detail")?;
        assert!(detail.contains("channel") && detail.contains("→ meeting"), "{detail}");

        // Refused with the form's own words, beside the texts' problems, and nothing changes.
        let refused = classify(&app, &moderator, &report_ref, "fax", &["careless_person"]).await;
        refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let page = text(refused).await?;
        assert!(page.contains(r##"<a href="#channel">Where it happened: "##), "{page}");
        assert!(page.contains(r##"<a href="#factors">"##), "{page}");
        let unchanged = moderation_view(&app, &moderator, &report_ref).await?;
        assert_eq!(unchanged["channel"], "meeting");
        let cleared = classify(&app, &moderator, &report_ref, "", &[]).await;
        cleared.assert_status(StatusCode::UNPROCESSABLE_ENTITY);

        // An imported report may go without a channel; its factors can be emptied.
        let imported = published(
            &app,
            &json!({"title": "Old post-mortem", "narrative": "It went out.", "channel": "email", "factors": ["time_pressure"]}),
        )
        .await?;
        classify(&app, &moderator, &imported, "", &[])
            .await
            .assert_status_is_ok();
        let view = moderation_view(&app, &moderator, &imported).await?;
        assert!(view["channel"].is_null(), "{view}");
        assert_eq!(view["factors"], json!([]));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_client_may_correct_one_part_alone_and_the_form_without_it_keeps_all()
-> anyhow::Result<()> {
    each_backend(async |app| {
        let moderator = app.staff("mo.derator", Role::Moderator).await?;
        let (report_ref, _) = report_with_a_phone_number(&app).await?;
        classify(&app, &moderator, &report_ref, "meeting", &["time_pressure"])
            .await
            .assert_status_is_ok();
        let account = accounts::add(
            &app.state.db,
            "command line",
            "an.api.client",
            Role::Moderator,
            PASSWORD,
            Password::Chosen,
        )
        .await?;
        let edit = DraftEdit {
            title: "Invitation sent to the press list".to_owned(),
            narrative: "I picked the press list.".to_owned(),
            ..DraftEdit::default()
        };
        let impact_alone = Classification {
            impact: Some("minor".to_owned()),
            ..Classification::default()
        };
        moderation::save_draft_classified(
            &app.state.db,
            &account,
            &report_ref.parse()?,
            edit,
            Some(impact_alone),
            false,
        )
        .await?;
        let view = moderation_view(&app, &moderator, &report_ref).await?;
        assert_eq!(view["impact"], "minor");
        assert_eq!(view["channel"], "meeting");
        assert_eq!(view["factors"], json!(["Time pressure"]));

        // A draft form that does not hold the classification leaves it as it is.
        let form = [
            ("title", "Invitation sent to the press list"),
            ("narrative", "I picked the press list."),
            ("action", "save"),
        ];
        moderate(
            &app,
            &moderator,
            &format!("/moderation/{report_ref}/draft"),
            &form,
        )
        .await
        .assert_status_is_ok();
        let view = moderation_view(&app, &moderator, &report_ref).await?;
        assert_eq!(view["channel"], "meeting");
        assert_eq!(view["factors"], json!(["Time pressure"]));
        Ok(())
    })
    .await
}
