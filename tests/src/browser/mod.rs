//! The browser harness: the real server on a real port, driven in headless Chromium through
//! WebDriver, with axe-core, layout and keyboard checks.
//!
//! A journey is written as `journey(async |j| { … }).await`: it gets a fresh site (SQLite in a
//! temporary folder — the browser checks the pages, which do not depend on the database
//! engine) and a fresh browser session, which is closed afterwards whatever the outcome.
//!
//! Where Chromium, chromedriver or axe-core is missing, the journey prints `skipped: …` and
//! passes, unless `KINTSUGI_BROWSER_TESTS=required` (as in CI), where it fails instead.

mod checks;
mod driver;
mod keyboard;
mod site;
mod suggestions;

use std::{path::PathBuf, time::Duration};

use anyhow::Context;
use fantoccini::{Client, Locator};

pub use fantoccini::key::Key;
pub use site::{MODERATOR, MODERATOR_PASSWORD, Site};

/// Set to `required` to fail instead of skipping when the browser or axe-core is missing.
pub const REQUIRED_ENV: &str = "KINTSUGI_BROWSER_TESTS";
/// The Chromium binary; by default the first of `chromium`, `chromium-browser` on `PATH`.
pub const CHROMIUM_ENV: &str = "KINTSUGI_CHROMIUM";
/// The chromedriver binary; by default `chromedriver` on `PATH`.
pub const CHROMEDRIVER_ENV: &str = "KINTSUGI_CHROMEDRIVER";
/// The `axe.min.js` file; by default where `.ci/run` installs it.
pub const AXE_ENV: &str = "KINTSUGI_AXE_JS";
/// Where screenshots go; by default a folder under the system's temporary directory.
/// `docs/screenshots` refreshes the ones in the README.
pub const SCREENSHOTS_ENV: &str = "KINTSUGI_SCREENSHOTS";

/// The desktop window, in which journeys run and most screenshots are taken.
pub const DESKTOP: (u32, u32) = (1280, 900);
/// A phone's window.
pub const PHONE: (u32, u32) = (360, 740);
/// Beyond this a journey has hung (a page that never loads, a browser that stopped answering).
const JOURNEY_TIMEOUT: Duration = Duration::from_secs(240);

/// One browser session on one fresh site.
pub struct Journey {
    pub site: Site,
    client: Client,
    axe: Option<String>,
    driver_url: String,
}

/// Runs `test` in a fresh browser on a fresh site, or skips it when no browser is installed
/// (and the run does not require one).
pub async fn journey(test: impl AsyncFnOnce(&Journey) -> anyhow::Result<()>) -> anyhow::Result<()> {
    run(true, test).await
}

/// The same in a browser that runs no script of the site's: every journey must work there too.
pub async fn journey_without_javascript(
    test: impl AsyncFnOnce(&Journey) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    run(false, test).await
}

async fn run(
    javascript: bool,
    test: impl AsyncFnOnce(&Journey) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let Some(tools) = driver::Tools::find()? else {
        return Ok(());
    };
    let axe = match axe_path() {
        Some(path) => Some(
            std::fs::read_to_string(&path)
                .with_context(|| format!("while reading axe-core from {}", path.display()))?,
        ),
        None if required() => anyhow::bail!(
            "axe-core is missing: set {AXE_ENV} or run `npm install --prefix .ci/axe axe-core` ({REQUIRED_ENV}=required)"
        ),
        None => {
            eprintln!(
                "axe checks skipped: axe-core not found (set {AXE_ENV}, or run .ci/run once)"
            );
            None
        }
    };
    // Chromium is heavy on a small machine: one session at a time keeps timings steady.
    let _turn = driver::one_at_a_time().await?;
    let driver = driver::Driver::start(&tools).await?;
    let client = driver.session(&tools, javascript).await?;
    let site = Site::start().await?;
    let journey = Journey {
        site,
        client,
        axe,
        driver_url: driver.url.clone(),
    };
    journey.client.set_window_size(DESKTOP.0, DESKTOP.1).await?;
    let outcome = tokio::time::timeout(JOURNEY_TIMEOUT, test(&journey))
        .await
        .unwrap_or_else(|_| {
            Err(anyhow::anyhow!(
                "the journey took longer than {JOURNEY_TIMEOUT:?}"
            ))
        });
    let outcome = match outcome {
        Ok(()) => Ok(()),
        Err(error) => Err(journey.with_evidence(error).await),
    };
    if let Err(error) = journey.client.close().await {
        eprintln!("closing the browser session failed: {error}");
    }
    drop(driver);
    outcome
}

/// Whether missing browser pieces fail the run instead of skipping it.
pub fn required() -> bool {
    std::env::var(REQUIRED_ENV).is_ok_and(|value| value == "required")
}

fn axe_path() -> Option<PathBuf> {
    let path = std::env::var_os(AXE_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../.ci/axe/node_modules/axe-core/axe.min.js")
        });
    path.is_file().then_some(path)
}

impl Journey {
    /// Opens a page of the site by its path and waits until it has loaded.
    pub async fn open(&self, path: &str) -> anyhow::Result<()> {
        self.client.goto(&self.site.url(path)).await?;
        self.wait_until_loaded().await
    }

    /// The path of the current page, with its query.
    pub async fn path(&self) -> anyhow::Result<String> {
        let url = self.client.current_url().await?;
        Ok(match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        })
    }

    /// The visible text of the first element matching `css`.
    pub async fn text(&self, css: &str) -> anyhow::Result<String> {
        let element = self
            .client
            .find(Locator::Css(css))
            .await
            .with_context(|| format!("no element matches `{css}`"))?;
        Ok(element.text().await?)
    }

    /// How many elements match `css`.
    pub async fn count(&self, css: &str) -> anyhow::Result<usize> {
        Ok(self.client.find_all(Locator::Css(css)).await?.len())
    }

    /// An attribute of the first element matching `css`.
    pub async fn attr(&self, css: &str, name: &str) -> anyhow::Result<Option<String>> {
        let element = self
            .client
            .find(Locator::Css(css))
            .await
            .with_context(|| format!("no element matches `{css}`"))?;
        Ok(element.attr(name).await?)
    }

    /// Resizes the window, to see a page as on a phone (`PHONE`) and back (`DESKTOP`).
    pub async fn window_size(&self, (width, height): (u32, u32)) -> anyhow::Result<()> {
        Ok(self.client.set_window_size(width, height).await?)
    }

    /// Whether axe-core was found, so that its checks run.
    pub fn has_axe(&self) -> bool {
        self.axe.is_some()
    }

    /// Runs a script in the page and returns what it returns.
    pub async fn script(&self, body: &str) -> anyhow::Result<serde_json::Value> {
        Ok(self.client.execute(body, Vec::new()).await?)
    }

    /// Saves a PNG of the window at the desktop size as `NAME.png` in the screenshot folder.
    pub async fn screenshot(&self, name: &str) -> anyhow::Result<PathBuf> {
        self.capture(name, DESKTOP).await
    }

    /// The same on a phone: `NAME.png`, 360 pixels wide.
    pub async fn phone_screenshot(&self, name: &str) -> anyhow::Result<PathBuf> {
        self.capture(name, PHONE).await
    }

    async fn capture(&self, name: &str, (width, height): (u32, u32)) -> anyhow::Result<PathBuf> {
        // A relative folder is taken from the repository's root, where the README looks,
        // not from the test's own working directory.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let folder = std::env::var_os(SCREENSHOTS_ENV)
            .map(|folder| root.join(folder))
            .unwrap_or_else(|| std::env::temp_dir().join("kintsugi-screenshots"));
        std::fs::create_dir_all(&folder)?;
        self.client.set_window_size(width, height).await?;
        // The picture shows the page, not where a check happened to leave focus.
        self.script("document.activeElement?.blur(); window.scrollTo(0, 0); return true;")
            .await?;
        let png = self.client.screenshot().await?;
        self.client.set_window_size(DESKTOP.0, DESKTOP.1).await?;
        let path = folder.join(format!("{name}.png"));
        std::fs::write(&path, png).with_context(|| format!("while saving {}", path.display()))?;
        Ok(path)
    }

    /// A failure with where it happened and a picture of the page, for runs nobody watched.
    async fn with_evidence(&self, error: anyhow::Error) -> anyhow::Error {
        let path = self.path().await.unwrap_or_default();
        let name = format!("failed-{}", crate::random_suffix());
        match self.capture(&name, DESKTOP).await {
            Ok(picture) => error.context(format!("on {path}; screenshot: {}", picture.display())),
            Err(_) => error.context(format!("on {path}")),
        }
    }

    /// Waits until a new document has finished loading.
    async fn wait_until_loaded(&self) -> anyhow::Result<()> {
        self.wait_for(
            "the page to load",
            "return document.readyState === 'complete'",
        )
        .await
    }

    /// Polls `condition` (a script returning a boolean) until it holds, for up to 15 seconds.
    /// Scripts fail while a navigation is under way; that counts as "not yet".
    pub async fn wait_for(&self, what: &str, condition: &str) -> anyhow::Result<()> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        loop {
            if let Ok(serde_json::Value::Bool(true)) =
                self.client.execute(condition, Vec::new()).await
            {
                return Ok(());
            }
            anyhow::ensure!(
                tokio::time::Instant::now() < deadline,
                "timed out waiting for {what}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
