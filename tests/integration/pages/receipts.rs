//! Coming back with a receipt: status, adding detail, withdrawing — all by form posts.

use kintsugi_tests::each_backend;
use poem::http::StatusCode;

use crate::support::{submit, text};

#[tokio::test]
async fn a_reporter_comes_back_adds_detail_and_withdraws() -> anyhow::Result<()> {
    each_backend(async |app| {
        let (_, receipt) = submit(&app, "Screen shared with a private chat visible").await?;
        app.client
            .get("/receipt")
            .send()
            .await
            .assert_status_is_ok();

        let response = app
            .client
            .post("/receipt")
            .form(&[("receipt", receipt.as_str())])
            .send()
            .await;
        response.assert_status_is_ok();
        response.assert_header("cache-control", "no-store");
        let page = text(response).await?;
        assert!(page.contains("Screen shared with a private chat visible"));
        assert!(page.contains("Waiting for a moderator"));

        let response = app
            .client
            .post("/receipt/detail")
            .form(&[
                ("receipt", receipt.as_str()),
                ("detail", "The meeting had forty guests."),
            ])
            .send()
            .await;
        response.assert_status_is_ok();
        let page = text(response).await?;
        assert!(page.contains("your detail was added"));
        assert!(page.contains("The meeting had forty guests."));

        // Withdrawing needs the box ticked; the page says so and nothing changes.
        let response = app
            .client
            .post("/receipt/withdraw")
            .form(&[("receipt", receipt.as_str())])
            .send()
            .await;
        response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(text(response).await?.contains("Tick the box"));

        let response = app
            .client
            .post("/receipt/withdraw")
            .form(&[("receipt", receipt.as_str()), ("confirm", "yes")])
            .send()
            .await;
        response.assert_status_is_ok();
        assert!(text(response).await?.contains("Withdrawn by the reporter"));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_mistyped_receipt_comes_back_with_the_typing_kept() -> anyhow::Result<()> {
    each_backend(async |app| {
        let response = app
            .client
            .post("/receipt")
            .form(&[("receipt", "ABCD-EFGH")])
            .send()
            .await;
        response.assert_status(StatusCode::NOT_FOUND);
        let page = text(response).await?;
        assert!(page.contains("value=\"ABCD-EFGH\""));
        assert!(page.contains("not recognised"));

        let (_, receipt) = submit(&app, "Detail left empty").await?;
        let response = app
            .client
            .post("/receipt/detail")
            .form(&[("receipt", receipt.as_str()), ("detail", "  ")])
            .send()
            .await;
        response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(text(response).await?.contains("id=\"detail-error\""));
        Ok(())
    })
    .await
}
