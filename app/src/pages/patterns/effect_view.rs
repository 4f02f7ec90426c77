//! A measured effect as `partials/effect` shows it: the reading and the numbers it rests on,
//! every value already in words so that the template has nothing to compute or to miss.

use serde::Serialize;

use crate::services::effect::{Change, Effect, MIN_OCCURRENCES, Side, window_months};

/// A link the partial shows: the change measured, or the pattern it was measured on.
#[derive(Clone, Debug, Serialize)]
pub struct Link {
    pub label: String,
    pub href: String,
}

/// One side of the change, one row of the partial's table.
#[derive(Clone, Debug, Serialize)]
pub struct SideRow {
    pub label: &'static str,
    pub months: String,
    pub occurrences: u64,
    pub reports: u64,
    pub rate: String,
}

/// What `partials/effect` needs: `{{> partials/effect effect=…}}`.
#[derive(Clone, Debug, Serialize)]
pub struct EffectView {
    /// Unique on its page, for the table's caption id.
    pub key: String,
    /// The verdict's slug, for styling.
    pub verdict: &'static str,
    pub verdict_label: &'static str,
    pub effective_from: String,
    pub reading: String,
    /// The change measured, on pages that are not its own.
    pub change: Option<Link>,
    /// The pattern measured, on pages that are not its own.
    pub pattern: Option<Link>,
    pub sides: [SideRow; 2],
    pub rate_ratio: String,
    pub ci: String,
    pub p_value: String,
    pub method: String,
}

const NONE: &str = "—";

fn ratio(value: Option<f64>) -> String {
    value.map_or_else(|| NONE.to_owned(), |v| format!("{v:.2}"))
}

fn row(label: &'static str, side: &Side) -> SideRow {
    SideRow {
        label,
        months: side.span.label(),
        occurrences: side.occurrences,
        reports: side.reports,
        rate: side
            .rate()
            .map_or_else(|| NONE.to_owned(), |r| format!("{r:.1}")),
    }
}

impl EffectView {
    pub fn of(key: impl Into<String>, effect: &Effect) -> Self {
        let numbers = &effect.ratio;
        let ci = match (numbers.ci_low, numbers.ci_high) {
            (Some(low), Some(high)) => format!("{low:.2} to {high:.2}"),
            (Some(low), None) => format!("{low:.2} and up (no upper bound)"),
            _ => NONE.to_owned(),
        };
        let rate_ratio = match numbers.estimate {
            None if effect.before.occurrences == 0 && effect.after.occurrences > 0 => {
                "not finite: none before".to_owned()
            }
            estimate => ratio(estimate),
        };
        let p_value = match numbers.p_value {
            Some(p) if p < 0.001 => "below 0.001".to_owned(),
            Some(p) => format!("{p:.3}"),
            None => NONE.to_owned(),
        };
        let months = window_months(effect.window_days);
        Self {
            key: key.into(),
            verdict: effect.verdict.slug(),
            verdict_label: effect.verdict.label(),
            effective_from: effect.effective_from.to_string(),
            reading: effect.reading.clone(),
            change: None,
            pattern: None,
            sides: [row("Before", &effect.before), row("After", &effect.after)],
            rate_ratio,
            ci,
            p_value,
            method: format!(
                "Occurrences per 100 published reports in the same number of whole months on \
                 each side of the date the change took effect, at most {months} (the detection \
                 window). A change on the 1st counts its month as after; later in a month, that \
                 month is left out of both. Rate ratio: after over before, with its 95 % \
                 confidence interval and two-sided p-value from the exact conditional binomial \
                 test. Under {MIN_OCCURRENCES} occurrences in both windows together are too few \
                 to tell."
            ),
        }
    }

    /// Names the change measured, linking to its revision.
    pub fn with_change(mut self, change: &Change) -> Self {
        let section = change
            .anchor
            .as_ref()
            .map(|anchor| format!(", section #{anchor}"))
            .unwrap_or_default();
        self.change = Some(Link {
            label: format!(
                "Revision {} of “{}”{section}",
                change.revision, change.guideline_title
            ),
            href: format!(
                "/guidelines/{}/revisions/{}",
                change.guideline, change.revision
            ),
        });
        self
    }

    /// Names the pattern measured, linking to its page.
    pub fn with_pattern(mut self, id: i32, title: &str) -> Self {
        self.pattern = Some(Link {
            label: title.to_owned(),
            href: format!("/patterns/{id}"),
        });
        self
    }
}
