//! Published lessons per 1,000 staff beside the breakdown by unit: rates worked out by hand
//! from the quarter's fixture and headcounts given through the API, a dash where a size is
//! not known, and a rate hidden whenever its count is.

use kintsugi::services::accounts::Role;
use kintsugi_tests::{Staff, TestApp, each_backend, each_backend_with};
use serde_json::{Value, json};

use super::{cell, quarter, report, units};
use crate::support::text;

/// Column 1 of `by_unit`: the rate.
const RATE: usize = 1;

/// The quarter, as the API asks for it.
const Q1: &str = "from=2026-01-01&to=2026-03-31";

/// Gives `unit` this headcount through the API, as an admin.
async fn headcount(
    app: &TestApp,
    admin: &Staff,
    unit: &str,
    headcount: Option<u32>,
) -> anyhow::Result<()> {
    let response = app
        .client
        .put("/api/v1/units/headcount")
        .header("authorization", admin.bearer())
        .body_json(&json!({"unit": unit, "headcount": headcount}))
        .send()
        .await;
    response.assert_status_is_ok();
    Ok(())
}

/// The quarter's units, a Desk under Bureau, and headcounts: Agency 1,500 (Agency/Small's
/// 200 included), Desk 400, Bureau none, so Bureau counts as its Desk.
async fn sized_quarter(app: &TestApp, admin: &Staff) -> anyhow::Result<()> {
    quarter(app).await?;
    units(app, &["Bureau/Desk"]).await?;
    for (unit, n) in [
        ("Agency", 1500),
        ("Agency/Small", 200),
        ("Bureau/Desk", 400),
    ] {
        headcount(app, admin, unit, Some(n)).await?;
    }
    Ok(())
}

fn rate(report: &Value, row: &str) -> Value {
    let cell = cell(report, "by_unit", row, RATE);
    assert_eq!(cell["suppressed"], false, "{row}: {cell}");
    cell["value"].clone()
}

#[tokio::test]
async fn each_units_lessons_are_divided_by_its_people() -> anyhow::Result<()> {
    each_backend_with(
        |config| config.trends.min_cell = 3,
        async |app| {
            let admin = app.staff("admin", Role::Admin).await?;
            sized_quarter(&app, &admin).await?;
            let owner = app.staff("owner", Role::PolicyOwner).await?;
            let r = report(&app, &owner.bearer(), Q1).await?;
            let columns = &r["tables"]
                .as_array()
                .and_then(|t| t.iter().find(|t| t["name"] == "by_unit"))
                .map_or(Value::Null, |t| t["columns"].clone());
            assert_eq!(columns[RATE]["key"], "per_1000_staff");
            // Agency: 6 lessons over 1,500 − 200 (Small has its own row) = 4.615…;
            // Small: 3 over 200; Bureau: 4 over its Desk's 400; everyone: 13 over 1,900.
            for (row, expected) in [
                ("Agency", json!(4.6)),
                ("Agency/Small", json!(15.0)),
                ("Bureau", json!(10.0)),
                ("total", json!(6.8)),
                ("not_given", Value::Null),
            ] {
                assert_eq!(rate(&r, row), expected, "{row}");
            }

            // Within Agency: the same rows, and the total over Agency's 1,500.
            let agency = report(&app, &owner.bearer(), &format!("{Q1}&unit=Agency")).await?;
            assert_eq!(rate(&agency, "Agency"), json!(4.6));
            assert_eq!(rate(&agency, "total"), json!(6.0));

            // Without Agency's own number, its size is Small's alone: nobody is left for
            // Agency's own row, which reads as not known rather than as a made-up rate.
            headcount(&app, &admin, "Agency", None).await?;
            let r = report(&app, &owner.bearer(), Q1).await?;
            assert_eq!(rate(&r, "Agency"), Value::Null);
            assert_eq!(rate(&r, "Agency/Small"), json!(15.0));

            // The page writes a dash for it, explained to screen readers, and the CSV an
            // empty value that is not suppressed.
            let page = text(
                app.client
                    .get("/trends?period=2026-Q1")
                    .header("cookie", &owner.cookie)
                    .send()
                    .await,
            )
            .await?;
            assert!(page.contains("<th scope=\"col\">Lessons per 1,000 staff</th>"));
            assert!(page.contains(
                "<td data-label=\"Lessons per 1,000 staff\">15.0</td>"
            ));
            assert!(page.contains(
                "<span aria-hidden=\"true\">\u{2014}</span><span class=\"visually-hidden\">not known: no headcount given</span>"
            ));
            let csv = text(
                app.client
                    .get("/trends.csv?period=2026-Q1")
                    .header("cookie", &owner.cookie)
                    .send()
                    .await,
            )
            .await?;
            assert!(
                csv.contains(
                    "\nby_unit,Agency/Small,Agency/Small,per_1000_staff,\"Lessons per 1,000 staff\",15.0,false\n"
                ),
                "{csv}"
            );
            assert!(csv.contains(
                "\nby_unit,Agency,Agency,per_1000_staff,\"Lessons per 1,000 staff\",,false\n"
            ));
            Ok(())
        },
    )
    .await
}

#[tokio::test]
async fn a_rate_is_hidden_whenever_its_count_is() -> anyhow::Result<()> {
    // k = 5: Small's 3 lessons are counted with Agency (9), Bureau's 4 go to the row of
    // small top-level units, alone under k there, so Agency's 9 is hidden with them.
    each_backend(async |app| {
        let admin = app.staff("admin", Role::Admin).await?;
        sized_quarter(&app, &admin).await?;
        let owner = app.staff("owner", Role::PolicyOwner).await?;
        let r = report(&app, &owner.bearer(), Q1).await?;
        let others = cell(&r, "by_unit", "other_units", RATE);
        // 4 over Bureau's 400 would say 10.0, and give the 4 back.
        assert_eq!(others, &json!({"suppressed": true}));
        assert_eq!(cell(&r, "by_unit", "other_units", 0)["suppressed"], true);
        let rows = r["tables"]
            .as_array()
            .and_then(|t| t.iter().find(|t| t["name"] == "by_unit"))
            .and_then(|t| t["rows"].as_array())
            .cloned()
            .unwrap_or_default();
        assert_eq!(rows.len(), 4, "Agency, other units, no unit, total");
        for row in &rows {
            let (count, rate) = (&row["cells"][0], &row["cells"][RATE]);
            assert_eq!(count["suppressed"], rate["suppressed"], "{row}");
            if rate["suppressed"] == true {
                assert!(rate.get("value").is_none(), "{row}");
            }
        }
        assert_eq!(cell(&r, "by_unit", "Agency", RATE)["suppressed"], true);

        // A unit chosen with fewer than k lessons: its one row and its total go, rates too.
        let small = report(&app, &owner.bearer(), &format!("{Q1}&unit=Agency/Small")).await?;
        for row in ["Agency/Small", "total"] {
            assert_eq!(
                cell(&small, "by_unit", row, RATE),
                &json!({"suppressed": true}),
                "{row}"
            );
        }

        // Nor do the CSV and the page show it.
        let csv = text(
            app.client
                .get("/trends.csv?period=2026-Q1")
                .header("cookie", &owner.cookie)
                .send()
                .await,
        )
        .await?;
        assert!(csv.contains(
            "\nby_unit,other_units,\"Other units, each too small to show\",per_1000_staff,\"Lessons per 1,000 staff\",,true\n"
        ), "{csv}");
        let page = text(
            app.client
                .get("/trends?period=2026-Q1")
                .header("cookie", &owner.cookie)
                .send()
                .await,
        )
        .await?;
        assert!(
            !page.contains("<td data-label=\"Lessons per 1,000 staff\">10.0</td>"),
            "Bureau's rate is on the page"
        );
        Ok(())
    })
    .await
}
