//! Recurring patterns: detection stored and re-run, the job run once across instances, the
//! API and the pages.

mod api;
mod job;
mod pages;
mod terms;

use kintsugi::services::patterns::{self, DetectionSettings, RunSummary};
use kintsugi_tests::TestApp;
use serde_json::json;

use crate::support::import;

const UNITS: [&str; 8] = [
    "Tax Agency/Contact centre",
    "Tax Agency/Communications",
    "Ministry of Health/Press office",
    "Ministry of Health/Policy",
    "City Council/Mayor's office",
    "City Council/Web team",
    "Environment Agency/Field operations",
    "Environment Agency/Press office",
];

const BACKGROUND: [&str; 24] = [
    "invoice",
    "parking",
    "canteen",
    "roster",
    "printer",
    "badge",
    "elevator",
    "laptop",
    "stapler",
    "umbrella",
    "voucher",
    "locker",
    "kettle",
    "projector",
    "whiteboard",
    "courier",
    "ledger",
    "catalogue",
    "thermostat",
    "carpet",
    "ladder",
    "scanner",
    "shredder",
    "trolley",
];

/// The words of one recurring mistake, told a little differently in each report.
pub const BCC: [&str; 6] = [
    "The quarterly newsletter went to the mailing list with every address visible, because the bcc field was left empty.",
    "I pasted the mailing list into the wrong field instead of bcc, so all addresses were visible.",
    "Our mailing list of partners was put in the open field and not in bcc; every address was visible to everyone.",
    "A mailing list went out without bcc and the addresses were visible to all recipients.",
    "The invitation used the mailing list with addresses visible; bcc would have hidden them.",
    "Once more a mailing list went without bcc, every address visible to the schools.",
];

/// Unrelated mishaps in every unit, and the bcc mistake in `bcc_units` of them.
pub async fn collection(app: &TestApp, bcc_units: &[usize]) -> anyhow::Result<()> {
    let mut lines = String::new();
    for i in 0..40 {
        let (a, b) = (BACKGROUND[(i * 7) % 24], BACKGROUND[(i * 11 + 3) % 24]);
        let line = json!({
            "title": format!("Mix-up {i} about the {a}"),
            "narrative": format!("The email about the {a} was sent to the wrong team; the {b} was late."),
            "unit": UNITS[i % UNITS.len()],
            "occurred_on": format!("2026-{:02}", i % 9 + 1),
        });
        lines.push_str(&format!("{line}\n"));
    }
    lines.push_str(&bcc_lines(bcc_units, 0));
    let summary = import(app, &lines, true).await?;
    anyhow::ensure!(summary.errors.is_empty(), "{:?}", summary.errors);
    Ok(())
}

/// JSON Lines of bcc reports in the given units, the first text being `BCC[from]`.
pub fn bcc_lines(units: &[usize], from: usize) -> String {
    units
        .iter()
        .enumerate()
        .map(|(i, unit)| {
            let line = json!({
                "title": format!("Addresses visible on list {}", from + i),
                "narrative": BCC[(from + i) % BCC.len()],
                "unit": UNITS[*unit],
                "occurred_on": "2026-03",
            });
            format!("{line}\n")
        })
        .collect()
}

pub async fn detect(app: &TestApp) -> anyhow::Result<RunSummary> {
    Ok(patterns::run(&app.state.db, DetectionSettings::default(), &|_, _| {}).await?)
}
