//! The admin's units page: headcounts stored and audited, a blank one cleared, bad ones
//! refused with a message naming the field and the typed text kept, and admins only.

use kintsugi::services::accounts::Role;
use kintsugi_tests::{Staff, TestApp, each_backend};
use poem::http::StatusCode;

use crate::{
    support::{number, text},
    trends::units,
};

/// Posts a headcount for `unit` as `staff`: the status, and the location or the page.
async fn post(app: &TestApp, staff: &Staff, unit: &str, headcount: &str) -> (StatusCode, String) {
    let response = app
        .client
        .post("/admin/units/headcount")
        .header("cookie", &staff.cookie)
        .form(&[
            ("csrf_token", staff.csrf.as_str()),
            ("unit", unit),
            ("headcount", headcount),
        ])
        .send()
        .await;
    let status = response.0.status();
    let location = response
        .0
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .map(str::to_owned);
    match location {
        Some(location) => (status, location),
        None => (status, text(response).await.unwrap_or_default()),
    }
}

async fn stored(app: &TestApp, path: &str) -> anyhow::Result<i64> {
    let sql = format!("SELECT CAST(headcount AS BIGINT) FROM units WHERE path = '{path}'");
    number(app, &sql).await
}

#[tokio::test]
async fn an_admin_gives_clears_and_is_refused_headcounts() -> anyhow::Result<()> {
    each_backend(async |app| {
        units(&app, &["Agency", "Agency/Small"]).await?;
        let admin = app.staff("ad.min", Role::Admin).await?;
        let agency = number(&app, "SELECT CAST(id AS BIGINT) FROM units WHERE path = 'Agency'")
            .await?;

        let page = text(
            app.client
                .get("/admin/units")
                .header("cookie", &admin.cookie)
                .send()
                .await,
        )
        .await?;
        assert!(page.contains("<th scope=\"row\" data-label=\"Unit\">Agency/Small</th>"));
        assert!(page.contains(">not known</td>"), "{page}");

        assert_eq!(
            post(&app, &admin, "Agency", " 1,500 ").await,
            (StatusCode::SEE_OTHER, format!("/admin/units#unit-{agency}"))
        );
        assert_eq!(post(&app, &admin, "Agency/Small", "200").await.0, StatusCode::SEE_OTHER);
        assert_eq!(stored(&app, "Agency").await?, 1500);
        let audited = number(
            &app,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'unit.headcount' \
             AND target = 'Agency' AND detail = 'headcount not known → 1500' AND actor = 'ad.min'",
        )
        .await?;
        assert_eq!(audited, 1);

        for (typed, message) in [
            ("abc", "Headcount: &#x27;abc&#x27; is not a whole number of people"),
            ("12.5", "Headcount: &#x27;12.5&#x27; is not a whole number of people"),
            ("0", "Headcount: must be at least 1"),
            ("-4", "Headcount: &#x27;-4&#x27; is not a whole number of people"),
            ("10000000", "Headcount: must be below 10,000,000"),
        ] {
            let (status, page) = post(&app, &admin, "Agency", typed).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{typed}");
            assert!(
                page.contains(&format!("<a href=\"#headcount\">{message}")),
                "{typed}: {page}"
            );
            // The field of that unit keeps what was typed, marked and described.
            assert!(page.contains(&format!(
                "id=\"headcount\" name=\"headcount\" value=\"{typed}\" size=\"10\" autocomplete=\"off\" aria-describedby=\"headcount-hint headcount-error\" aria-invalid=\"true\""
            )), "{typed}: {page}");
            assert_eq!(stored(&app, "Agency").await?, 1500, "{typed} changed nothing");
        }
        let (status, page) = post(&app, &admin, "Nowhere", "12").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("is not a unit of this organisation"), "{page}");

        // Blank: not known again, and Agency counts as the units under it added up.
        assert_eq!(post(&app, &admin, "Agency", "").await.0, StatusCode::SEE_OTHER);
        assert_eq!(stored(&app, "Agency").await?, 0, "NULL reads as 0");
        let page = text(
            app.client
                .get("/admin/units")
                .header("cookie", &admin.cookie)
                .send()
                .await,
        )
        .await?;
        assert!(page.contains(">200, the units under it added up</td>"), "{page}");

        // A policy owner reads trend reports but does not set headcounts.
        let owner = app.staff("owner", Role::PolicyOwner).await?;
        assert_eq!(
            post(&app, &owner, "Agency/Small", "5").await.0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(stored(&app, "Agency/Small").await?, 200);
        Ok(())
    })
    .await
}
