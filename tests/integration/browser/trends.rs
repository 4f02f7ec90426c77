//! Journey: a policy owner opens the trend report from the home page (the last full quarter),
//! then this quarter's, where the demo lessons are; reads the charts and their tables (the
//! accessibility checks pass), prints it and downloads the CSV.

use anyhow::ensure;
use kintsugi::services::accounts::{self, Password, Role};
use kintsugi_tests::browser::{Key, journey};

const OWNER: &str = "po.licy";
const OWNER_PASSWORD: &str = "a long policy owner password";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_policy_owner_reads_prints_and_downloads_the_trend_report() -> anyhow::Result<()> {
    journey(async |j| {
        j.site.with_demo_lessons().await?;
        accounts::add(
            &j.site.state.db,
            "command line",
            OWNER,
            Role::PolicyOwner,
            OWNER_PASSWORD,
            Password::Chosen,
        )
        .await?;
        j.open("/signin?next=/").await?;
        j.sign_in(OWNER, OWNER_PASSWORD).await?;
        j.tab_to("main a[href='/trends']").await?;
        j.press_and_follow(Key::Enter).await?;
        j.check_page("the trend report of the last quarter").await?;

        // The demo lessons were published today: this quarter holds them.
        let today = time::OffsetDateTime::now_utc().date();
        let quarter = format!("{}-Q{}", today.year(), (u8::from(today.month()) - 1) / 3 + 1);
        j.tab_to("#period").await?;
        j.type_text(&quarter).await?;
        j.tab_to("main form button[type=submit]").await?;
        j.press_and_follow(Key::Enter).await?;
        let heading = j.text("#report-title").await?;
        ensure!(heading.starts_with(&quarter), "{heading}");
        ensure!(j.count("figure.trend-chart svg").await? >= 1, "no chart drawn");
        ensure!(
            j.count("figure.trend-chart [role=img][aria-label]").await?
                == j.count("figure.trend-chart").await?,
            "every chart has its text alternative"
        );
        j.check_page("the trend report of this quarter").await?;
        j.check_print("the trend report").await?;
        let printed = j
            .script("return document.querySelector('.print-only').textContent")
            .await?;
        ensure!(
            printed.as_str().is_some_and(|p| p.contains(&quarter) && p.contains("printed on")),
            "{printed}"
        );

        // The CSV link downloads the same report, every table in one file.
        let csv = j
            .script(
                "const r = new XMLHttpRequest(); \
                 r.open('GET', document.querySelector('a[download]').href, false); r.send(); \
                 return r.status + ' ' + r.getResponseHeader('content-type') + '\\n' + r.responseText;",
            )
            .await?;
        let csv = csv.as_str().unwrap_or_default();
        ensure!(csv.starts_with("200 text/csv"), "{csv}");
        ensure!(csv.contains("\ntable,row,row_label,column,column_label,value,suppressed\n"), "{csv}");
        ensure!(csv.contains("\nfactor_by_channel,"), "{csv}");
        Ok(())
    })
    .await
}
