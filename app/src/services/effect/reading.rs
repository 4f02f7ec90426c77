//! What the numbers of a change's effect say, in plain words, and when they say too little.

use super::{
    rate_ratio::RateRatio,
    window::{Side, Windows},
};
use crate::vocabulary::vocabulary;

/// Fewer occurrences than this in both windows together are too few to tell anything: with
/// 4 or fewer, even "all before, none after" is not a clear fall (p ≥ 0.125 at equal
/// reporting), so a reading would only ever say "no clear change" and sound like a finding.
pub const MIN_OCCURRENCES: u64 = 5;

vocabulary! {
    /// What the numbers say about a guideline change: the pattern's rate per 100 published
    /// reports fell or rose clearly (the 95 % interval of the rate ratio leaves out 1), did
    /// not change clearly, or there is too little yet to tell.
    EffectVerdict {
        Fell => ("fell", "Fell"),
        Rose => ("rose", "Rose"),
        NoClearChange => ("no_clear_change", "No clear change"),
        TooFew => ("too_few", "Too few reports yet to tell"),
        TooSoon => ("too_soon", "Too soon to tell"),
    }
}

/// A ratio for people: two decimals, and never a tiny one rounded to look like zero.
fn ratio(value: f64) -> String {
    if value > 0.0 && value < 0.005 {
        "<0.01".to_owned()
    } else {
        format!("{value:.2}")
    }
}

fn rate(side: &Side) -> String {
    format!("{:.1}", side.rate().unwrap_or(0.0))
}

/// The rate ratio and its interval, in brackets, as the reading closes.
fn bracket(before: &Side, numbers: &RateRatio) -> String {
    let interval = match (numbers.ci_low, numbers.ci_high) {
        (Some(low), Some(high)) => format!("95 % CI {}–{}", ratio(low), ratio(high)),
        (Some(low), None) => format!("95 % CI from {} upwards", ratio(low)),
        _ => "no confidence interval".to_owned(),
    };
    match numbers.estimate {
        Some(estimate) => format!("(rate ratio {}, {interval})", ratio(estimate)),
        None if before.occurrences == 0 => {
            format!("(none before the change, so no finite rate ratio; {interval})")
        }
        None => format!("(no rate ratio; {interval})"),
    }
}

/// The verdict and the sentence that says it, starting in lower case so that a page can
/// lead into it ("Since the change: …").
pub fn read(
    windows: &Windows,
    before: &Side,
    after: &Side,
    numbers: &RateRatio,
) -> (EffectVerdict, String) {
    if windows.after.months == 0 {
        return (
            EffectVerdict::TooSoon,
            "too soon to tell: no whole month has passed since the change took effect".to_owned(),
        );
    }
    if let Some(empty) = [before, after].into_iter().find(|side| side.reports == 0) {
        return (
            EffectVerdict::TooFew,
            format!(
                "too few reports yet to tell: no published reports in {}",
                empty.span.label()
            ),
        );
    }
    if before.occurrences + after.occurrences < MIN_OCCURRENCES {
        return (
            EffectVerdict::TooFew,
            format!(
                "too few reports yet to tell: {} before, {} after",
                before.occurrences, after.occurrences
            ),
        );
    }
    let (before_rate, after_rate) = (rate(before), rate(after));
    let bracket = bracket(before, numbers);
    if numbers.ci_high.is_some_and(|high| high < 1.0) {
        (
            EffectVerdict::Fell,
            format!("fell from {before_rate} to {after_rate} per 100 reports {bracket}"),
        )
    } else if numbers.ci_low.is_some_and(|low| low > 1.0) {
        (
            EffectVerdict::Rose,
            format!("rose from {before_rate} to {after_rate} per 100 reports {bracket}"),
        )
    } else {
        (
            EffectVerdict::NoClearChange,
            format!(
                "no clear change: {before_rate} before and {after_rate} after per 100 reports {bracket}"
            ),
        )
    }
}
