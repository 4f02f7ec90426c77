//! What every page must pass: axe-core without serious or critical violations, a skip link,
//! landmarks and labelled fields, a visible focus on every keyboard stop, no sideways
//! scrolling on a 360 px phone or at 400 % zoom; and what a printed page must look like.

use serde_json::Value;

use super::{DESKTOP, Journey, Key};

/// A phone, and WCAG's reflow width: 1280 CSS pixels at 400 % zoom.
const NARROW_WIDTHS: [(u32, &str); 2] = [(360, "a 360 px wide phone"), (320, "400 % zoom")];

/// The most keyboard stops one page may have before the walk through them gives up.
const MAX_STOPS: usize = 300;

const AXE_RUN: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, { resultTypes: ['violations'] })
  .then(r => done({ violations: r.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')) })) }))
  .catch(e => done({ error: String(e) }));
"#;

const STRUCTURE: &str = r#"
const problems = [];
const count = s => document.querySelectorAll(s).length;
if (count('main') !== 1) problems.push('the page needs exactly one <main>, has ' + count('main'));
if (count('body > header') !== 1) problems.push('no banner: a <header> directly in <body>');
if (count('body > footer') !== 1) problems.push('no contentinfo: a <footer> directly in <body>');
if (count('nav[aria-label]') < 1) problems.push('no labelled <nav>');
if (count('h1') !== 1) problems.push('the page needs exactly one <h1>, has ' + count('h1'));
for (const e of document.querySelectorAll('input:not([type=hidden]), select, textarea'))
  if (!e.labels.length && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
    problems.push('no label tied to ' + e.tagName.toLowerCase() + (e.name ? '[name=' + e.name + ']' : ''));
if (document.querySelector('.error-summary') && !document.title.startsWith('Error: '))
  problems.push('a page with errors should say so first in its title: ' + document.title);
const first = document.querySelector('a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])');
const target = first && first.hash ? document.getElementById(first.hash.slice(1)) : null;
if (!target || target.tagName !== 'MAIN') problems.push('the first keyboard stop must be a skip link to <main>');
return problems;
"#;

const REFLOW: &str = r#"
const root = document.documentElement;
const width = root.clientWidth;
const describe = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
  + (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\s+/).join('.') : '');
const wide = [...document.body.querySelectorAll('*')]
  .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.right > width + 1; })
  .slice(0, 6).map(describe);
return { viewport: window.innerWidth, scroll: root.scrollWidth, client: width, wide };
"#;

// The walk ends when focus is back on its first stop. Other elements may hold several stops
// (a month field: month, year and its calendar button), each of which must show focus.
const FOCUS_STYLE: &str = r#"
const e = document.activeElement;
if (!e || e === document.body || e === document.documentElement) return null;
if (!window.kintsugiFirst) window.kintsugiFirst = e;
else if (e === window.kintsugiFirst) return { repeat: true };
const s = getComputedStyle(e);
const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
const shadow = s.boxShadow && s.boxShadow !== 'none';
const text = (e.innerText || e.value || '').trim().replace(/\s+/g, ' ').slice(0, 40);
return { visible: outline || shadow, name: e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (text ? ' "' + text + '"' : '') };
"#;

const PRINTED: &str = r#"
const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
const problems = [];
for (const s of ['.site-header nav', '.site-footer', '.skip-link', 'button', 'a.button', 'main form select'])
  for (const e of document.querySelectorAll(s))
    if (shown(e)) problems.push(s + ' should not be printed');
const main = document.querySelector('main');
if (!shown(main) || main.innerText.trim().length < 20) problems.push('the content should be printed');
if (getComputedStyle(document.body).backgroundColor !== 'rgb(255, 255, 255)') problems.push('paper should stay white');
return problems;
"#;

impl Journey {
    /// The page as printed: its content, without navigation, buttons or background.
    pub async fn check_print(&self, page: &str) -> anyhow::Result<()> {
        let session = self
            .client
            .session_id()
            .await?
            .ok_or_else(|| anyhow::anyhow!("no browser session"))?;
        let media = async |media: &str| {
            super::driver::devtools(
                &self.driver_url,
                &session,
                "Emulation.setEmulatedMedia",
                serde_json::json!({ "media": media }),
            )
            .await
        };
        media("print").await?;
        let problems = strings(&self.script(PRINTED).await?);
        media("").await?;
        anyhow::ensure!(
            problems.is_empty(),
            "{page} on paper:\n  - {}",
            problems.join("\n  - ")
        );
        Ok(())
    }

    /// Every check on the page as it stands, named `page` in failures. The focus walk moves
    /// focus; journeys that go on afterwards find their next control with Tab again.
    pub async fn check_page(&self, page: &str) -> anyhow::Result<()> {
        let mut problems = self.structure().await?;
        problems.extend(self.axe_problems().await?);
        problems.extend(self.reflow_problems().await?);
        problems.extend(self.focus_problems().await?);
        anyhow::ensure!(
            problems.is_empty(),
            "{page} ({}):\n  - {}",
            self.path().await?,
            problems.join("\n  - ")
        );
        Ok(())
    }

    /// axe-core alone: fails on serious or critical violations, prints the others.
    pub async fn axe_check(&self, page: &str) -> anyhow::Result<()> {
        let problems = self.axe_problems().await?;
        anyhow::ensure!(problems.is_empty(), "{page}: {}", problems.join("\n  - "));
        Ok(())
    }

    async fn structure(&self) -> anyhow::Result<Vec<String>> {
        Ok(strings(&self.script(STRUCTURE).await?))
    }

    async fn axe_problems(&self) -> anyhow::Result<Vec<String>> {
        let Some(axe) = &self.axe else {
            return Ok(Vec::new());
        };
        let loaded = "return typeof window.axe !== 'undefined';";
        if self.script(loaded).await? != Value::Bool(true) {
            self.script(&format!("{axe}\n;return true;")).await?;
        }
        let outcome = self.client.execute_async(AXE_RUN, Vec::new()).await?;
        if let Some(error) = outcome["error"].as_str() {
            anyhow::bail!("axe-core failed: {error}");
        }
        let mut problems = Vec::new();
        for violation in outcome["violations"].as_array().into_iter().flatten() {
            let impact = violation["impact"].as_str().unwrap_or("unknown");
            let line = format!(
                "axe {impact} `{}`: {} — {}",
                violation["id"].as_str().unwrap_or_default(),
                violation["help"].as_str().unwrap_or_default(),
                strings(&violation["nodes"]).join(" | ")
            );
            if matches!(impact, "serious" | "critical") {
                problems.push(line);
            } else {
                eprintln!("note: {} {line}", self.path().await?);
            }
        }
        Ok(problems)
    }

    /// Narrows the window to each width and looks for content wider than the viewport.
    async fn reflow_problems(&self) -> anyhow::Result<Vec<String>> {
        let mut problems = Vec::new();
        for (width, what) in NARROW_WIDTHS {
            self.client.set_window_size(width, 800).await?;
            let layout = self.script(REFLOW).await?;
            let viewport = layout["viewport"].as_u64().unwrap_or_default();
            if viewport > u64::from(width) {
                problems.push(format!(
                    "could not narrow the window to {width} px (got {viewport})"
                ));
            } else if layout["scroll"].as_u64() > layout["client"].as_u64() {
                problems.push(format!(
                    "scrolls sideways on {what}: {} px of content in {} px; too wide: {}",
                    layout["scroll"],
                    layout["client"],
                    strings(&layout["wide"]).join(", ")
                ));
            }
        }
        self.client.set_window_size(DESKTOP.0, DESKTOP.1).await?;
        Ok(problems)
    }

    /// Walks every keyboard stop once with Tab and checks that each shows where focus is.
    async fn focus_problems(&self) -> anyhow::Result<Vec<String>> {
        self.script("window.kintsugiFirst = null; return true;")
            .await?;
        let mut problems = Vec::new();
        let mut blanks = 0;
        for _ in 0..MAX_STOPS {
            self.press(Key::Tab).await?;
            let stop = self.script(FOCUS_STYLE).await?;
            if stop.is_null() {
                // Focus leaves the document after the last stop, then comes back to the first.
                blanks += 1;
                if blanks > 2 {
                    problems.push("Tab leaves the page and never comes back".to_owned());
                    return Ok(problems);
                }
                continue;
            }
            if stop["repeat"] == Value::Bool(true) {
                return Ok(problems);
            }
            let problem = format!(
                "no visible focus on {}",
                stop["name"].as_str().unwrap_or_default()
            );
            if stop["visible"] != Value::Bool(true) && !problems.contains(&problem) {
                problems.push(problem);
            }
        }
        problems.push(format!("more than {MAX_STOPS} keyboard stops"));
        Ok(problems)
    }
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}
