//! Every page that no journey reaches, through the same checks.

use kintsugi_tests::browser::journey;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_start_page_passes_every_check() -> anyhow::Result<()> {
    journey(async |j| {
        j.open("/").await?;
        j.check_page("start page").await?;
        j.screenshot("home").await?;
        Ok(())
    })
    .await
}

