//! Coming back with a receipt: status, adding detail, withdrawing — all by form posts.

use kintsugi::{codes::ReceiptCode, config::ReadAccess};
use kintsugi_tests::{each_backend, each_backend_with};
use poem::http::{StatusCode, header};

use crate::support::{client_from, submit, text};

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

/// Past the budget of tries from one network, a receipt form is refused with a page that
/// says how long to wait and keeps what was written, ready to send again.
#[tokio::test]
async fn too_many_receipt_tries_keep_the_text_for_later() -> anyhow::Result<()> {
    let configure = |config: &mut kintsugi::config::Config| {
        config.access.read_access = ReadAccess::Open;
        config.access.receipt_tries_per_hour = 2;
    };
    each_backend_with(configure, async |app| {
        let (_, receipt) = submit(&app, "Tried too often").await?;
        let client = client_from(&app, [203, 0, 113, 9].into());
        for _ in 0..2 {
            let guess = ReceiptCode::generate().display();
            client
                .post("/receipt")
                .form(&[("receipt", guess.as_str())])
                .send()
                .await
                .assert_status(StatusCode::NOT_FOUND);
        }
        let detail = "The second screen was still shared when the chat popped up.";
        let response = client
            .post("/receipt/detail")
            .form(&[("receipt", receipt.as_str()), ("detail", detail)])
            .send()
            .await;
        response.assert_status(StatusCode::TOO_MANY_REQUESTS);
        response.assert_header("cache-control", "no-store");
        let wait = response
            .0
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        assert!(wait.is_some_and(|s| (1..=3600).contains(&s)), "{wait:?}");
        let page = text(response).await?;
        assert!(page.contains("Please wait a little"), "{page}");
        assert!(page.contains(detail), "the detail is kept: {page}");
        assert!(page.contains(&format!("value=\"{receipt}\"")), "{page}");
        assert!(page.contains("name=\"detail\""), "ready to send again");
        Ok(())
    })
    .await
}
