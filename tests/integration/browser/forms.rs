//! Fields every form shares: passwords styled like any field, a month field that shows
//! focus on each of its stops, and choices with descriptions in one aligned column.

use anyhow::ensure;
use kintsugi_tests::browser::{DESKTOP, Journey, Key, PHONE, journey};

/// A script with the constant `css` set to `selector`.
fn with_css(script: &str, selector: &str) -> String {
    format!(
        "const css = {};\n{script}",
        serde_json::Value::from(selector)
    )
}

/// The start of every line of text in the choices matching `css`, and the left edge of
/// their boxes: one value each when they form one aligned column.
const COLUMNS: &str = r#"
const starts = new Set(), boxes = new Set();
const labels = [...document.querySelectorAll(css)].filter(l => l.getClientRects().length);
for (const label of labels) {
  const input = label.querySelector('input');
  boxes.add(Math.round(input.getBoundingClientRect().left));
  const range = document.createRange();
  range.setStartAfter(input);
  range.setEnd(label, label.childNodes.length);
  const rects = [...range.getClientRects()].filter(r => r.width > 1 && r.height > 0);
  for (const r of rects) {
    const line = rects.filter(o =>
      Math.min(o.bottom, r.bottom) - Math.max(o.top, r.top) > Math.min(o.height, r.height) / 2);
    starts.add(Math.round(Math.min(...line.map(o => o.left))));
  }
}
return { labels: labels.length, boxes: [...boxes], starts: [...starts] };
"#;

/// Fails unless the visible choices matching `css` have their boxes in one column and every
/// line of their text starting in one other, on a desktop and on a phone, where long
/// descriptions wrap.
pub(crate) async fn in_one_column(j: &Journey, css: &str, what: &str) -> anyhow::Result<()> {
    for (size, on) in [(PHONE, "on a phone"), (DESKTOP, "on a desktop")] {
        j.window_size(size).await?;
        let layout = j.script(&with_css(COLUMNS, css)).await?;
        let count = |key: &str| layout[key].as_array().map_or(0, Vec::len);
        ensure!(
            layout["labels"].as_u64() > Some(1),
            "{what}: no choices to compare ({layout})"
        );
        ensure!(
            count("boxes") == 1 && count("starts") == 1,
            "{what} should line up in one column {on}: {layout}"
        );
    }
    Ok(())
}

/// Whether the focused element shows where focus is, as the page checks judge it.
const FOCUS_SHOWN: &str = r#"
const e = document.activeElement;
const s = getComputedStyle(e);
const shown = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2)
  || (s.boxShadow && s.boxShadow !== 'none');
return { id: e.id, shown };
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passwords_months_and_choices_look_alike_everywhere() -> anyhow::Result<()> {
    journey(async |j| {
        // A password field is styled as the name above it is.
        j.open("/signin").await?;
        let style = "const s = getComputedStyle(document.querySelector(css));
            return [s.borderTopWidth, s.borderTopStyle, s.borderTopColor, s.width, s.paddingLeft, s.fontSize];";
        let name = j.script(&with_css(style, "#name")).await?;
        let password = j.script(&with_css(style, "#password")).await?;
        ensure!(
            name == password,
            "the password field looks unlike the name field: {password} against {name}"
        );

        // Every stop inside the month field shows focus, its calendar button's too.
        j.open("/report").await?;
        j.tab_to("#occurred_on").await?;
        let mut stops = 0;
        loop {
            let stop = j.script(FOCUS_SHOWN).await?;
            if stop["id"] != "occurred_on" {
                break;
            }
            stops += 1;
            ensure!(
                stop["shown"] == true,
                "stop {stops} of the month field shows no focus"
            );
            ensure!(stops < 6, "Tab never leaves the month field");
            j.press(Key::Tab).await?;
        }
        ensure!(stops >= 2, "the month field has {stops} stops");

        // Each factor's box, name and description in one column, whatever the name's length.
        j.script("document.querySelectorAll('details.factor-group').forEach(d => d.open = true); return true;")
            .await?;
        in_one_column(j, ".factor-group .choice", "the report form's factors").await?;
        in_one_column(j, "#impact .choice", "the report form's impact levels").await?;
        j.check_page("the report form with every factor shown")
            .await?;
        Ok(())
    })
    .await
}
