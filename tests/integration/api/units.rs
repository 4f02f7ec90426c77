//! `PUT /api/v1/units/headcount`: an admin sets and clears a unit's headcount; bad ones are
//! a 422 naming the field; nobody else may.

use kintsugi::services::accounts::Role;
use kintsugi_tests::{Staff, TestApp, each_backend};
use poem::{http::StatusCode, test::TestResponse};
use serde_json::{Value, json};

use crate::{
    support::{json, number},
    trends::units,
};

async fn put(app: &TestApp, staff: &Staff, body: &Value) -> TestResponse {
    app.client
        .put("/api/v1/units/headcount")
        .header("authorization", staff.bearer())
        .body_json(body)
        .send()
        .await
}

#[tokio::test]
async fn an_admin_sets_a_headcount_and_bad_ones_name_their_field() -> anyhow::Result<()> {
    each_backend(async |app| {
        units(&app, &["Agency", "Agency/Small"]).await?;
        let admin = app.staff("admin", Role::Admin).await?;
        let response = put(
            &app,
            &admin,
            &json!({"unit": " Agency / Small ", "headcount": 42}),
        )
        .await;
        response.assert_status_is_ok();
        assert_eq!(
            json(response).await?,
            json!({"path": "Agency/Small", "headcount": 42})
        );

        for (body, field, words) in [
            (
                json!({"unit": "Agency", "headcount": 0}),
                "headcount",
                "at least 1",
            ),
            (
                json!({"unit": "Agency", "headcount": -1}),
                "headcount",
                "at least 1",
            ),
            (
                json!({"unit": "Agency", "headcount": 10_000_000}),
                "headcount",
                "below 10,000,000",
            ),
            (json!({"unit": "Agency", "headcount": 2.5}), "headcount", ""),
            (
                json!({"unit": "Agency", "headcount": "120"}),
                "headcount",
                "",
            ),
            (
                json!({"unit": "Nowhere", "headcount": 12}),
                "unit",
                "not a unit",
            ),
            (json!({"headcount": 12}), "unit", ""),
        ] {
            let response = put(&app, &admin, &body).await;
            response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
            let problem = json(response).await?.to_string();
            assert!(
                problem.contains(&format!("\"field\":\"{field}\"")) && problem.contains(words),
                "{body}: {problem}"
            );
        }

        // Null: not known again.
        let response = put(
            &app,
            &admin,
            &json!({"unit": "Agency/Small", "headcount": null}),
        )
        .await;
        response.assert_status_is_ok();
        assert_eq!(
            json(response).await?,
            json!({"path": "Agency/Small", "headcount": null})
        );

        for role in [Role::Reader, Role::Moderator, Role::PolicyOwner] {
            let staff = app.staff(&format!("{role:?}").to_lowercase(), role).await?;
            put(&app, &staff, &json!({"unit": "Agency", "headcount": 9}))
                .await
                .assert_status(StatusCode::FORBIDDEN);
        }
        let set = number(
            &app,
            "SELECT COUNT(*) FROM units WHERE headcount IS NOT NULL",
        )
        .await?;
        assert_eq!(set, 0);
        Ok(())
    })
    .await
}
