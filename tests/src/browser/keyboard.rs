//! The keyboard, as a person uses it: keys go to whatever has focus, nothing is clicked.

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use serde_json::{Value, json};

use super::{Journey, Key};

/// The most Tab presses a journey makes to reach one control; past it the page has too many
/// stops on the way, or the control cannot be reached at all.
const MAX_TABS: usize = 150;

/// Describes the focused element, and whether it matches the selector in `arguments[0]`.
const FOCUSED: &str = r#"
const e = document.activeElement;
if (!e || e === document.body || e === document.documentElement) return null;
const text = (e.getAttribute('aria-label') || e.innerText || e.value || '').trim().replace(/\s+/g, ' ');
const name = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.name ? '[name=' + e.name + ']' : '');
return { name: text ? name + ' "' + text.slice(0, 50) + '"' : name, matches: arguments[0] ? e.matches(arguments[0]) : false };
"#;

impl Journey {
    /// Presses and releases one key.
    pub async fn press(&self, key: Key) -> anyhow::Result<()> {
        self.keys(&[key.into()]).await
    }

    /// Holds Shift while pressing Tab: one stop back.
    pub async fn shift_tab(&self) -> anyhow::Result<()> {
        self.chord(Key::Shift, Key::Tab.into()).await
    }

    /// Control+A: selects all the text of the focused field, so that typing replaces it.
    pub async fn select_all(&self) -> anyhow::Result<()> {
        self.chord(Key::Control, 'a').await
    }

    /// Types `text` into whatever has focus, one key at a time.
    pub async fn type_text(&self, text: &str) -> anyhow::Result<()> {
        self.keys(&text.chars().collect::<Vec<_>>()).await
    }

    /// Presses a key that leads to another page (a link, a submit button) and waits until
    /// that page has loaded.
    pub async fn press_and_follow(&self, key: Key) -> anyhow::Result<()> {
        // A property of the old page's window: the new page has none.
        self.script("window.kintsugiLeaving = true; return true;")
            .await?;
        self.press(key).await?;
        self.wait_for(
            "the next page",
            "return !window.kintsugiLeaving && document.readyState === 'complete'",
        )
        .await
    }

    /// Fills the sign-in form of the page open now, by keyboard, and follows where it leads.
    pub async fn sign_in(&self, name: &str, password: &str) -> anyhow::Result<()> {
        self.tab_to("#name").await?;
        self.type_text(name).await?;
        self.tab_to("#password").await?;
        self.type_text(password).await?;
        self.press_and_follow(Key::Enter).await
    }

    /// Presses Tab until the focused element matches `css`, as a keyboard user would move
    /// through the page; fails with the stops passed when it is never reached.
    pub async fn tab_to(&self, css: &str) -> anyhow::Result<()> {
        let mut passed = Vec::new();
        for _ in 0..MAX_TABS {
            self.press(Key::Tab).await?;
            let focused = self.client.execute(FOCUSED, vec![json!(css)]).await?;
            if focused["matches"] == Value::Bool(true) {
                return Ok(());
            }
            passed.push(focused["name"].as_str().unwrap_or("(nothing)").to_owned());
        }
        let recent = passed[passed.len().saturating_sub(12)..].join(", ");
        anyhow::bail!("Tab never reached `{css}` in {MAX_TABS} presses; last stops: {recent}")
    }

    /// A short description of the focused element (`input#title "…"`), or `None` when
    /// nothing has focus.
    pub async fn focused(&self) -> anyhow::Result<Option<String>> {
        let focused = self.client.execute(FOCUSED, vec![Value::Null]).await?;
        Ok(focused["name"].as_str().map(str::to_owned))
    }

    /// Whether the focused element matches `css`.
    pub async fn focus_is(&self, css: &str) -> anyhow::Result<bool> {
        let focused = self.client.execute(FOCUSED, vec![json!(css)]).await?;
        Ok(focused["matches"] == Value::Bool(true))
    }

    async fn chord(&self, modifier: Key, key: char) -> anyhow::Result<()> {
        let modifier = char::from(modifier);
        let actions = KeyActions::new("keyboard".to_owned())
            .then(KeyAction::Down { value: modifier })
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key })
            .then(KeyAction::Up { value: modifier });
        Ok(self.client.perform_actions(actions).await?)
    }

    async fn keys(&self, keys: &[char]) -> anyhow::Result<()> {
        let mut actions = KeyActions::new("keyboard".to_owned());
        for &value in keys {
            actions = actions
                .then(KeyAction::Down { value })
                .then(KeyAction::Up { value });
        }
        Ok(self.client.perform_actions(actions).await?)
    }
}
