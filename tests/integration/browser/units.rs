//! The admin's units page, by keyboard: a headcount refused with its text kept and the error
//! linked to its field, then given; the page passes the accessibility checks both times.

use anyhow::ensure;
use kintsugi::services::accounts::{self, Password, Role};
use kintsugi_tests::browser::{Key, journey};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_gives_a_units_headcount_after_a_refused_one() -> anyhow::Result<()> {
    journey(async |j| {
        j.site.with_demo_lessons().await?;
        let password = "a long admin password here";
        accounts::add(
            &j.site.state.db,
            "command line",
            "the.admin",
            Role::Admin,
            password,
            Password::Chosen,
        )
        .await?;
        j.open("/admin/units").await?;
        j.sign_in("the.admin", password).await?;
        ensure!(
            j.count("tr[id^='unit-']").await? >= 2,
            "the units are listed"
        );
        j.check_page("units").await?;

        let first = "tbody tr:first-child input[name='headcount']";
        j.tab_to(first).await?;
        j.type_text("lots").await?;
        j.press_and_follow(Key::Enter).await?;
        let summary = j.text(".error-summary").await?;
        ensure!(summary.contains("is not a whole number"), "{summary}");
        ensure!(
            j.count(".error-summary a[href='#headcount']").await? == 1,
            "the error should link to its field"
        );
        let kept = j
            .script("return document.getElementById('headcount').value")
            .await?;
        ensure!(
            kept.as_str() == Some("lots"),
            "the typing should be kept: {kept}"
        );
        j.check_page("units with a refused headcount").await?;

        j.tab_to("#headcount").await?;
        j.select_all().await?;
        j.type_text("1,250").await?;
        j.press_and_follow(Key::Enter).await?;
        ensure!(j.count(".error-summary").await? == 0, "saved");
        let saved = j
            .script(&format!("return document.querySelector(\"{first}\").value"))
            .await?;
        ensure!(saved.as_str() == Some("1250"), "{saved}");
        Ok(())
    })
    .await
}
