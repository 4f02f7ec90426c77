//! Guideline changes in the report with their measured effect: a change citing patterns,
//! effective in the past, read with the numbers worked out by hand in `effect`; one too
//! recent to tell; one citing no pattern, and one citing only a pattern local to one unit.

use kintsugi::services::{
    accounts::Role,
    guidelines::{self, ChangeNote, SectionEdit},
};
use kintsugi_tests::{TestApp, each_backend};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use super::report;
use crate::{
    effect::{fixture, pattern},
    support::text,
};

const FELL: &str = "fell from 45.0 to 5.0 per 100 reports (rate ratio 0.11, 95 % CI <0.01–0.80)";
const TOO_SOON: &str = "too soon to tell: no whole month has passed since the change took effect";

/// The change of `revision` to the guideline `email` in the report.
fn change(report: &Value, revision: i64) -> Value {
    report["guideline_changes"]
        .as_array()
        .and_then(|changes| changes.iter().find(|c| c["revision"] == revision))
        .cloned()
        .unwrap_or(Value::Null)
}

/// A change to the section `anchor` of `email`, effective today, citing `patterns`.
async fn change_today(app: &TestApp, anchor: &str, patterns: &[i64]) -> anyhow::Result<()> {
    let edit = SectionEdit {
        heading: Some(format!("About {anchor}")),
        markdown: "Check the list before sending.".to_owned(),
    };
    let note = ChangeNote {
        evidence: patterns.iter().map(|id| format!("pattern:{id}")).collect(),
        ..ChangeNote::because("Seen again.")
    };
    guidelines::put_section(&app.state.db, "po", "email", anchor, &edit, &note).await?;
    Ok(())
}

#[tokio::test]
async fn a_change_citing_patterns_shows_their_measured_effect() -> anyhow::Result<()> {
    each_backend(async |app| {
        // Revision 2 of `email`, effective 2024-03-01, cites both patterns.
        let (measured, scarce) = fixture(&app).await?;
        let owner = app.staff("owner", Role::PolicyOwner).await?;
        let r = report(&app, &owner.bearer(), "from=2024-01-01&to=2024-03-31").await?;
        let found = change(&r, 2);
        assert_eq!(found["effective_from"], "2024-03-01", "{r}");
        assert!(found.get("unmeasured").is_none(), "{found}");
        let mut effects = found["effects"].clone();
        // 9 of 20 reports before, 1 of 20 after: see `effect`'s test for the interval.
        let ratio = effects[0]["rate_ratio"].as_f64().unwrap_or(f64::NAN);
        assert!((ratio - 1.0 / 9.0).abs() < 1e-9, "{effects}");
        let high = effects[0]["ci_high"].as_f64().unwrap_or(f64::NAN);
        assert!((high - 0.801_854_1).abs() < 1e-6, "{effects}");
        for field in ["rate_ratio", "ci_low", "ci_high"] {
            effects[0][field] = json!("checked");
            effects[1][field] = json!("checked");
        }
        assert_eq!(
            effects,
            json!([
                {"pattern_id": measured, "pattern_title": "Lists in the open field",
                 "verdict": "fell", "reading": FELL, "rate_before": 45.0, "rate_after": 5.0,
                 "rate_ratio": "checked", "ci_low": "checked", "ci_high": "checked"},
                {"pattern_id": scarce, "pattern_title": "Lists in the open field",
                 "verdict": "too_few", "reading": "too few reports yet to tell: 2 before, 1 after",
                 "rate_before": 10.0, "rate_after": 5.0,
                 "rate_ratio": "checked", "ci_low": "checked", "ci_high": "checked"}
            ])
        );

        let page = text(
            app.client
                .get("/trends?period=2024-Q1")
                .header("cookie", &owner.cookie)
                .send()
                .await,
        )
        .await?;
        assert!(
            page.contains(&format!(
                "Effect on the pattern <a href=\"/patterns/{measured}\">Lists in the open field</a>: fell from 45.0 to 5.0 per 100 reports (rate ratio 0.11, 95 % CI &lt;0.01–0.80)."
            )),
            "{page}"
        );
        assert!(page.contains(&format!("href=\"/patterns/{scarce}\"")));
        let csv = text(
            app.client
                .get("/trends.csv?period=2024-Q1")
                .header("cookie", &owner.cookie)
                .send()
                .await,
        )
        .await?;
        assert!(
            csv.contains(&format!(
                "\nguideline_changes,email#2,Email,effect_on_pattern_{measured},Effect on the pattern Lists in the open field,\"{FELL}\",false\n"
            )),
            "{csv}"
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_recent_change_is_too_soon_and_one_without_a_pattern_says_so() -> anyhow::Result<()> {
    each_backend(async |app| {
        let (measured, _) = fixture(&app).await?;
        // Revision 3: today, citing the measured pattern; revision 4: today, citing only a
        // pattern that repeats inside one unit. Revision 1 made the guideline today.
        change_today(&app, "reply-all", &[measured]).await?;
        let local = pattern(&app, "local", &json!([["2023-06", 6]])).await?;
        app.state
            .db
            .execute_unprepared(&format!(
                "UPDATE patterns SET kind = 'local' WHERE id = {local}"
            ))
            .await?;
        change_today(&app, "signatures", &[local]).await?;

        let owner = app.staff("owner", Role::PolicyOwner).await?;
        let today = kintsugi::today();
        let month = format!("{}-{:02}", today.year(), u8::from(today.month()));
        let r = report(
            &app,
            &owner.bearer(),
            &format!("from={month}-01&to={today}"),
        )
        .await?;
        let recent = change(&r, 3);
        assert_eq!(recent["effects"][0]["verdict"], "too_soon", "{r}");
        assert_eq!(recent["effects"][0]["reading"], TOO_SOON);
        assert_eq!(recent["effects"][0]["pattern_id"], measured);
        assert_eq!(
            (change(&r, 1)["effects"].clone(), change(&r, 1)["unmeasured"].clone()),
            (json!([]), json!("no pattern cited; effect not measured"))
        );
        assert_eq!(
            change(&r, 4)["unmeasured"],
            "cites only patterns local to one unit, which trend reports leave out; effect not shown"
        );

        let page = text(
            app.client
                .get(format!("/trends?period={month}"))
                .header("cookie", &owner.cookie)
                .send()
                .await,
        )
        .await?;
        assert!(page.contains(&format!("{TOO_SOON}.")), "{page}");
        assert!(page.contains("No pattern cited; effect not measured."));
        assert!(!page.contains(&format!("href=\"/patterns/{local}\"")));
        let csv = text(
            app.client
                .get(format!("/trends.csv?period={month}"))
                .header("cookie", &owner.cookie)
                .send()
                .await,
        )
        .await?;
        assert!(
            csv.contains(
                "\nguideline_changes,email#1,Email,effect,Effect,no pattern cited; effect not measured,false\n"
            ),
            "{csv}"
        );
        Ok(())
    })
    .await
}
