//! Exploration.

use kintsugi_tests::browser::{Key, journey};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn explore_month() -> anyhow::Result<()> {
    journey(async |j| {
        j.open("/report").await?;
        j.script("const st = new CSSStyleSheet(); st.replaceSync('input[type=month]::-webkit-calendar-picker-indicator:focus-visible { outline: 4px dotted red; } input[type=month]:focus-within { outline: 4px dashed blue; }'); document.adoptedStyleSheets = [st]; return 1;").await?;
        j.tab_to("#occurred_on").await?;
        for _ in 0..5 {
            let v = j.script("const e = document.activeElement; const s = getComputedStyle(e); return [e.tagName, e.id, s.outlineStyle, s.outlineWidth, s.boxShadow, e.matches(':focus-visible'), e.matches(':focus'), e.matches(':focus-within'), getComputedStyle(e, '::-webkit-calendar-picker-indicator').outlineStyle];").await?;
            eprintln!("STOP {v}");
            j.press(Key::Tab).await?;
        }
        Ok(())
    })
    .await
}
