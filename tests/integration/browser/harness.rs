//! The checks themselves: each one fails on the fault it looks for.

use anyhow::ensure;
use kintsugi_tests::browser::journey;

/// Breaks the receipt lookup page with `script`, then expects `check_page` to name `expected`.
async fn expect_failure(
    j: &kintsugi_tests::browser::Journey,
    script: &str,
    expected: &str,
) -> anyhow::Result<()> {
    j.open("/receipt").await?;
    j.script(&format!("{script}; return true;")).await?;
    let outcome = j.check_page("broken on purpose").await;
    let message = outcome.err().map(|e| e.to_string()).unwrap_or_default();
    ensure!(
        message.contains(expected),
        "expected {expected:?} in: {message:?}"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_check_fails_on_the_fault_it_looks_for() -> anyhow::Result<()> {
    journey(async |j| {
        if j.has_axe() {
            expect_failure(j, "document.querySelector('label[for=receipt]').remove()", "axe critical `label`").await?;
        }
        expect_failure(j, "document.querySelector('.skip-link').remove()", "skip link").await?;
        expect_failure(
            j,
            "document.querySelector('label[for=receipt]').htmlFor = ''",
            "no label tied to input[name=receipt]",
        )
        .await?;
        expect_failure(
            j,
            "const wide = document.createElement('div'); wide.style.width = '500px'; wide.textContent = 'x'; document.querySelector('main').append(wide)",
            "scrolls sideways on a 360 px wide phone",
        )
        .await?;
        expect_failure(
            j,
            "const b = document.querySelector('main button'); b.style.outline = 'none'; b.style.boxShadow = 'none'",
            "no visible focus on button",
        )
        .await?;
        // A field with several stops of its own (month, year, calendar) does not end the walk.
        expect_failure(
            j,
            "const b = document.querySelector('main button'); const m = document.createElement('input'); m.type = 'month'; m.setAttribute('aria-label', 'Month'); b.before(m); b.style.outline = 'none'; b.style.boxShadow = 'none'",
            "no visible focus on button",
        )
        .await?;
        Ok(())
    })
    .await
}
