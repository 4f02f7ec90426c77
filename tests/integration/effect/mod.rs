//! The measured effect of a guideline change on a recurring pattern: numbers known by hand
//! from published reports and a pattern's occurrences, the API's answer, the too-few case,
//! who may read it, and the pattern and revision pages that show it.

mod pages;

use kintsugi::services::{
    accounts::Role,
    guidelines::{self, ChangeNote, NewGuideline, SectionEdit},
};
use kintsugi_tests::{TestApp, each_backend};
use poem::http::StatusCode;
use serde_json::{Value, json};

use crate::support::{import, json, number, rows};

/// Adds a pattern with these occurrences by month, as a detection run would store it, and
/// gives its id.
pub async fn pattern(app: &TestApp, signature: &str, by_month: &Value) -> anyhow::Result<i64> {
    let total: u64 = by_month
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m[1].as_u64())
        .sum();
    rows(
        app,
        &format!(
            "INSERT INTO patterns (signature, kind, title, explanation, terms, stems, factors, \
             occurrences, unit_count, units, first_seen, last_seen, by_month, trend, \
             trend_current, trend_previous, score, status, active, detected_on) VALUES \
             ('{signature}', 'factor', 'Lists in the open field', 'Recurs.', '[]', '[]', '[]', \
             {total}, 3, '[]', '2023-01', '2024-12', '{by_month}', 'steady', 0, 0, 1.0, \
             'addressed', TRUE, '2026-11-01')"
        ),
    )
    .await?;
    number(
        app,
        &format!("SELECT CAST(id AS BIGINT) FROM patterns WHERE signature = '{signature}'"),
    )
    .await
}

/// `n` published reports that happened in each of these months, and some that must not
/// count: unpublished ones inside the windows, undated ones (counted in the month they were
/// published, this one), and older ones.
pub async fn reports(app: &TestApp, months: &[&str], n: usize) -> anyhow::Result<()> {
    let line = |title: String, month: Option<&str>| {
        let mut line = json!({"title": title, "narrative": "Something went to the wrong place."});
        if let Some(month) = month {
            line["occurred_on"] = json!(month);
        }
        format!("{line}\n")
    };
    let mut published = String::new();
    for month in months {
        for i in 0..n {
            published.push_str(&line(format!("Mix-up {i} in {month}"), Some(month)));
        }
    }
    for i in 0..3 {
        published.push_str(&line(format!("Older mix-up {i}"), Some("2022-06")));
        published.push_str(&line(format!("Undated mix-up {i}"), None));
    }
    let summary = import(app, &published, true).await?;
    anyhow::ensure!(summary.errors.is_empty(), "{:?}", summary.errors);
    let waiting: String = (0..4)
        .map(|i| line(format!("Waiting mix-up {i}"), Some("2023-05")))
        .collect();
    let summary = import(app, &waiting, false).await?;
    anyhow::ensure!(summary.errors.is_empty(), "{:?}", summary.errors);
    Ok(())
}

/// The months of a span, `YYYY-MM`.
pub fn months(year: u32, from: u32, to: u32) -> Vec<String> {
    (from..=to).map(|m| format!("{year}-{m:02}")).collect()
}

/// The guideline `email`, whose revision 2 (section `bcc`, effective 2024-03-01) cites
/// `patterns`.
pub async fn change_citing(app: &TestApp, patterns: &[i64]) -> anyhow::Result<()> {
    let new = NewGuideline {
        slug: Some("email".to_owned()),
        title: "Email".to_owned(),
        summary: "How we write email.".to_owned(),
        owner_role: "Head of communications".to_owned(),
    };
    guidelines::create_guideline(&app.state.db, "po", &new, &ChangeNote::because("A start"))
        .await?;
    let edit = SectionEdit {
        heading: Some("Use Bcc for external lists".to_owned()),
        markdown: "Put external lists in **Bcc**.".to_owned(),
    };
    let note = ChangeNote {
        rationale: "The pattern keeps recurring.".to_owned(),
        effective_from: Some("2024-03-01".to_owned()),
        evidence: patterns.iter().map(|id| format!("pattern:{id}")).collect(),
    };
    guidelines::put_section(&app.state.db, "po", "email", "bcc", &edit, &note).await?;
    Ok(())
}

/// The fixture whose numbers are worked out by hand in the test below; gives the ids of the
/// pattern measured and of one with too few occurrences.
pub async fn fixture(app: &TestApp) -> anyhow::Result<(i64, i64)> {
    // 2 published reports in each month of 2023-03…2023-12 and of 2024-03…2024-12:
    // 20 before (2023-03…2024-02) and 20 after (2024-03…2025-02).
    let mut dated = months(2023, 3, 12);
    dated.extend(months(2024, 3, 12));
    let dated: Vec<&str> = dated.iter().map(String::as_str).collect();
    reports(app, &dated, 2).await?;
    // 9 before, 1 after, and 5 that are outside both windows.
    let measured = pattern(
        app,
        "measured",
        &json!([
            ["2022-06", 3],
            ["2023-04", 4],
            ["2023-10", 5],
            ["2024-07", 1],
            ["2025-04", 2]
        ]),
    )
    .await?;
    let scarce = pattern(app, "scarce", &json!([["2023-06", 2], ["2024-05", 1]])).await?;
    change_citing(app, &[measured, scarce]).await?;
    Ok((measured, scarce))
}

#[tokio::test]
async fn the_api_answers_the_numbers_worked_out_by_hand() -> anyhow::Result<()> {
    each_backend(async |app| {
        let (measured, scarce) = fixture(&app).await?;
        let owner = app.staff("owner", Role::PolicyOwner).await?;
        let get = async |id: i64| {
            app.client
                .get(format!("/api/v1/patterns/{id}/effect"))
                .header("authorization", owner.bearer())
                .send()
                .await
        };
        let response = get(measured).await;
        response.assert_status_is_ok();
        let mut effect = json(response).await?;
        // 9 of 20 reports before (45.0 per 100), 1 of 20 after (5.0): RR = 1/9 = 0.1111.
        // π₀ = 20 / 40 = 1/2, n = 10, x = 1: p = 2 (1 + 10) / 1024 = 0.021484375.
        // Clopper–Pearson on 1 of 10: π_L = 1 − 0.975^(1/10) = 0.0025286 (solves
        // 1 − (1 − π)¹⁰ = 0.025), π_U = 0.4450161 (solves (1 − π)¹⁰ + 10 π (1 − π)⁹ = 0.025);
        // RR = π / (1 − π) · 20/20 from 0.0025350 to 0.8018541.
        let low = 1.0 - 0.975_f64.powf(0.1);
        for (field, expected) in [
            ("rate_ratio", 1.0 / 9.0),
            ("p_value", 22.0 / 1024.0),
            ("ci_low", low / (1.0 - low)),
            ("ci_high", 0.801_854_1),
        ] {
            let value = effect[field].as_f64().unwrap_or(f64::NAN);
            assert!((value - expected).abs() < 1e-6, "{field}: {value} in {effect}");
            effect[field] = json!("checked");
        }
        assert_eq!(
            effect,
            json!({
                "pattern_id": measured,
                "guideline": "email",
                "guideline_title": "Email",
                "revision": 2,
                "anchor": "bcc",
                "effective_from": "2024-03-01",
                "as_of": kintsugi::today().to_string(),
                "window_days": 365,
                "before": {"from": "2023-03", "to": "2024-02", "months": 12,
                           "occurrences": 9, "reports": 20, "rate": 45.0},
                "after": {"from": "2024-03", "to": "2025-02", "months": 12,
                          "occurrences": 1, "reports": 20, "rate": 5.0},
                "rate_ratio": "checked",
                "ci_low": "checked",
                "ci_high": "checked",
                "p_value": "checked",
                "verdict": "fell",
                "reading": "fell from 45.0 to 5.0 per 100 reports (rate ratio 0.11, 95 % CI <0.01–0.80)",
            })
        );

        let scarce = json(get(scarce).await).await?;
        assert_eq!(scarce["verdict"], "too_few", "{scarce}");
        assert_eq!(
            scarce["reading"],
            "too few reports yet to tell: 2 before, 1 after"
        );
        assert_eq!(scarce["before"]["occurrences"], 2);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn without_a_change_citing_it_there_is_no_effect() -> anyhow::Result<()> {
    each_backend(async |app| {
        let lonely = pattern(&app, "lonely", &json!([["2024-01", 3]])).await?;
        let owner = app.staff("owner", Role::PolicyOwner).await?;
        for (id, words) in [
            (lonely, "a guideline change citing this pattern"),
            (999_999, "pattern not found"),
        ] {
            let response = app
                .client
                .get(format!("/api/v1/patterns/{id}/effect"))
                .header("authorization", owner.bearer())
                .send()
                .await;
            response.assert_status(StatusCode::NOT_FOUND);
            let body = json(response).await?;
            assert!(body.to_string().contains(words), "{body}");
        }
        Ok(())
    })
    .await
}

#[tokio::test]
async fn only_policy_owners_and_admins_read_effects() -> anyhow::Result<()> {
    each_backend(async |app| {
        let id = pattern(&app, "guarded", &json!([["2023-06", 6]])).await?;
        change_citing(&app, &[id]).await?;
        let path = format!("/api/v1/patterns/{id}/effect");
        app.client
            .get(&path)
            .send()
            .await
            .assert_status(StatusCode::UNAUTHORIZED);
        for (name, role, status) in [
            ("reader", Role::Reader, StatusCode::FORBIDDEN),
            ("moderator", Role::Moderator, StatusCode::FORBIDDEN),
            ("owner", Role::PolicyOwner, StatusCode::OK),
            ("admin", Role::Admin, StatusCode::OK),
        ] {
            let staff = app.staff(name, role).await?;
            app.client
                .get(&path)
                .header("authorization", staff.bearer())
                .send()
                .await
                .assert_status(status);
        }
        Ok(())
    })
    .await
}
