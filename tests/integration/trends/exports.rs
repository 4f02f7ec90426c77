//! The CSV and the JSON: every table, suppressed cells without their number, named errors
//! for bad parameters, and policy owners and admins only.

use kintsugi::services::accounts::Role;
use kintsugi_tests::each_backend;
use poem::http::StatusCode;

use super::{quarter, report};
use crate::support::{json, text};

#[tokio::test]
async fn the_csv_holds_every_table_and_no_suppressed_number() -> anyhow::Result<()> {
    each_backend(async |app| {
        quarter(&app).await?;
        let owner = app.staff("owner", Role::PolicyOwner).await?;
        let response = app
            .client
            .get("/trends.csv?period=2026-Q1")
            .header("cookie", &owner.cookie)
            .send()
            .await;
        response.assert_status_is_ok();
        response.assert_content_type("text/csv; charset=utf-8");
        let disposition = response.0.headers().get("content-disposition").cloned();
        assert!(disposition.is_some_and(|d| {
            d.to_str()
                .is_ok_and(|d| d.contains("kintsugi-trends-2026-Q1.csv"))
        }));
        let body = text(response).await?;
        let mut lines = body.lines();
        assert_eq!(
            lines.next(),
            Some("table,row,row_label,column,column_label,value,suppressed")
        );
        let json_report = report(&app, &owner.bearer(), "from=2026-01-01&to=2026-03-31").await?;
        let mut cells = 0;
        for t in json_report["tables"].as_array().into_iter().flatten() {
            let name = t["name"].as_str().unwrap_or_default();
            assert!(
                body.contains(&format!("\n{name},")),
                "{name} missing from the CSV"
            );
            for r in t["rows"].as_array().into_iter().flatten() {
                cells += r["cells"].as_array().map_or(0, Vec::len);
            }
        }
        let table_lines = body
            .lines()
            .filter(|l| {
                !l.starts_with("report,")
                    && !l.starts_with("patterns,")
                    && !l.starts_with("guideline_changes,")
            })
            .count()
            - 1;
        assert_eq!(table_lines, cells, "one line a cell, as in the JSON");
        // March's 3 lessons are under k = 5: suppressed, value empty.
        assert!(
            body.contains(
                "by_month,2026-03,2026-03 (a year earlier: 2025-03),published,Published,,true"
            ),
            "{body}"
        );
        assert!(body.contains(
            "by_month,2026-01,2026-01 (a year earlier: 2025-01),received,Received,9,false"
        ));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn the_json_marks_suppressed_cells_with_null_and_a_flag() -> anyhow::Result<()> {
    each_backend(async |app| {
        quarter(&app).await?;
        let owner = app.staff("owner", Role::PolicyOwner).await?;
        let r = report(&app, &owner.bearer(), "from=2026-01-01&to=2026-03-31").await?;
        let names: Vec<&str> = r["tables"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| t["name"].as_str())
            .collect();
        assert_eq!(
            names,
            [
                "by_month",
                "by_channel",
                "by_audience",
                "by_impact",
                "by_unit",
                "by_factor",
                "by_category",
                "category_by_month",
                "factor_by_channel",
                "by_reporter_review",
                "health"
            ]
        );
        let march = super::cell(&r, "by_month", "2026-03", 2);
        // Left out rather than null, as every field without a value: never the number.
        assert_eq!(march, &serde_json::json!({"suppressed": true}));
        assert!(r["patterns"].is_array() && r["guideline_changes"].is_array());
        Ok(())
    })
    .await
}

#[tokio::test]
async fn bad_parameters_are_named() -> anyhow::Result<()> {
    each_backend(async |app| {
        let owner = app.staff("owner", Role::PolicyOwner).await?;
        for (query, field) in [
            ("from=2026-02-30&to=2026-03-01", "from"),
            ("from=2026-01-01&to=yesterday", "to"),
            ("from=2026-03-01&to=2026-01-01", "to"),
            ("from=2026-01-01", "to"),
            ("channel=pigeon", "channel"),
            ("unit=Nowhere", "unit"),
        ] {
            let response = app
                .client
                .get(format!("/api/v1/trends?{query}"))
                .header("authorization", owner.bearer())
                .send()
                .await;
            response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
            let body = json(response).await?;
            assert!(
                body.to_string().contains(&format!("\"{field}\"")),
                "{query}: {body}"
            );
        }
        for query in ["period=2026-Q5", "from=nope&to=2026-01-01", "unit=Nowhere"] {
            let response = app
                .client
                .get(format!("/trends?{query}"))
                .header("cookie", &owner.cookie)
                .send()
                .await;
            response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
            let page = text(response).await?;
            assert!(
                page.contains("error-summary") && page.contains("<form"),
                "{query}"
            );
        }
        Ok(())
    })
    .await
}

#[tokio::test]
async fn only_policy_owners_and_admins_read_trends() -> anyhow::Result<()> {
    each_backend(async |app| {
        for (role, allowed) in [
            (Role::Reader, false),
            (Role::Moderator, false),
            (Role::PolicyOwner, true),
            (Role::Admin, true),
        ] {
            let who = app.staff(role.slug(), role).await?;
            let api = app
                .client
                .get("/api/v1/trends")
                .header("authorization", who.bearer())
                .send()
                .await;
            let page = app
                .client
                .get("/trends")
                .header("cookie", &who.cookie)
                .send()
                .await;
            let csv = app
                .client
                .get("/trends.csv")
                .header("cookie", &who.cookie)
                .send()
                .await;
            let expected = if allowed {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            api.assert_status(expected);
            page.assert_status(expected);
            csv.assert_status(expected);
        }
        let anonymous = app.client.get("/api/v1/trends").send().await;
        anonymous.assert_status(StatusCode::UNAUTHORIZED);
        Ok(())
    })
    .await
}
