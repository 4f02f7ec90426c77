//! Counts against the fixture's hand-computed answers, with k = 3 so that none is suppressed.

use kintsugi::services::accounts::Role;
use kintsugi_tests::each_backend_with;
use serde_json::{Value, json};

use super::{cell, quarter, report};

fn value(v: &Value) -> Value {
    assert_eq!(v["suppressed"], false, "{v}");
    v["value"].clone()
}

#[tokio::test]
async fn the_quarter_counts_as_computed_by_hand() -> anyhow::Result<()> {
    each_backend_with(
        |config| config.trends.min_cell = 3,
        async |app| {
            quarter(&app).await?;
            let owner = app.staff("owner", Role::PolicyOwner).await?;
            let r = report(&app, &owner.bearer(), "from=2026-01-01&to=2026-03-31").await?;
            assert_eq!(
                (r["from"].clone(), r["to"].clone(), r["min_cell"].clone()),
                (json!("2026-01-01"), json!("2026-03-31"), json!(3))
            );

            // Received (withdrawn left out), a year earlier, published, a year earlier.
            for (month, expected) in [
                ("2026-01", [9.0, 4.0, 6.0, 4.0]),
                ("2026-02", [4.0, 0.0, 4.0, 0.0]),
                ("2026-03", [3.0, 0.0, 3.0, 0.0]),
                ("total", [16.0, 4.0, 13.0, 4.0]),
            ] {
                for (column, n) in expected.iter().enumerate() {
                    assert_eq!(
                        value(cell(&r, "by_month", month, column)),
                        json!(n),
                        "{month} {column}"
                    );
                }
            }
            for (table, row, n) in [
                ("by_channel", "email", 6.0),
                ("by_channel", "public_social", 4.0),
                ("by_channel", "meeting", 3.0),
                ("by_channel", "phone_sms", 0.0),
                ("by_audience", "not_given", 3.0),
                ("by_impact", "near_miss", 4.0),
                ("by_impact", "minor", 6.0),
                ("by_impact", "serious", 3.0),
                ("by_impact", "total", 13.0),
                ("by_unit", "Agency", 6.0),
                ("by_unit", "Agency/Small", 3.0),
                ("by_unit", "Bureau", 4.0),
                ("by_unit", "not_given", 0.0),
                ("by_factor", "time_pressure", 9.0),
                ("by_factor", "autocomplete", 7.0),
                ("by_factor", "none", 0.0),
                ("by_category", "people_workload", 9.0),
                ("by_category", "tools_channels", 7.0),
                ("by_reporter_review", "approved", 7.0),
                ("by_reporter_review", "not_asked", 6.0),
            ] {
                assert_eq!(value(cell(&r, table, row, 0)), json!(n), "{table} {row}");
            }
            // Stacked bars: March has both categories on each of its 3 lessons.
            assert_eq!(
                value(cell(&r, "category_by_month", "2026-03", 0)),
                json!(3.0)
            );
            // Heat map: channels are columns in the vocabulary's order (email first).
            assert_eq!(
                value(cell(&r, "factor_by_channel", "time_pressure", 0)),
                json!(6.0)
            );
            // 4 near misses of 13 lessons with an impact; days 3 ×4, 10 ×6, 20 ×3: median 10;
            // 7 of 13 approved.
            assert_eq!(value(cell(&r, "health", "near_miss_share", 0)), json!(30.8));
            assert_eq!(
                value(cell(&r, "health", "median_days_to_publication", 0)),
                json!(10.0)
            );
            assert_eq!(
                value(cell(&r, "health", "reporter_approved_share", 0)),
                json!(53.8)
            );
            assert_eq!(value(cell(&r, "health", "helped", 0)), json!(0.0));

            // A unit subtree and a channel narrow every count.
            let agency = report(
                &app,
                &owner.bearer(),
                "from=2026-01-01&to=2026-03-31&unit=Agency",
            )
            .await?;
            assert_eq!(value(cell(&agency, "by_month", "total", 2)), json!(9.0));
            assert_eq!(value(cell(&agency, "by_month", "total", 0)), json!(12.0));
            let social = report(
                &app,
                &owner.bearer(),
                "from=2026-01-01&to=2026-03-31&channel=public_social",
            )
            .await?;
            assert_eq!(value(cell(&social, "by_month", "total", 2)), json!(4.0));
            assert_eq!(value(cell(&social, "by_unit", "Bureau", 0)), json!(4.0));
            Ok(())
        },
    )
    .await
}
