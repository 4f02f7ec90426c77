//! The measured effect of a guideline change on a recurring pattern: its occurrences per 100
//! published reports in equal whole-month windows before and after the change took effect,
//! compared by an exact test and read in plain words. The computation is pure
//! ([`measure`]); [`read`] loads what it needs.

mod rate_ratio;
mod read;
mod reading;
mod window;

use search::patterns::Month;
use time::Date;

pub use rate_ratio::{Count, RateRatio};
pub use read::{
    Change, Measured, PatternEffect, for_revision, latest_change, latest_for, occurrences,
    of_latest_change, of_pattern, published_by_month,
};
pub use reading::{EffectVerdict, MIN_OCCURRENCES};
pub use window::{Side, Span, Windows, month_of_day, window_months};

/// A change's effect on a pattern, with every number it rests on.
#[derive(Clone, Debug, PartialEq)]
pub struct Effect {
    pub effective_from: Date,
    /// The day it was measured on: the months after it are not over yet.
    pub as_of: Date,
    /// The detection window, which caps how far each side reaches.
    pub window_days: u32,
    pub before: Side,
    pub after: Side,
    pub ratio: RateRatio,
    pub verdict: EffectVerdict,
    /// Plain words, lower case first: "fell from 4.1 to 1.2 per 100 reports (…)".
    pub reading: String,
}

/// Measures the effect from a pattern's occurrences by month and the published reports by
/// month, for a change effective from `effective_from`, seen on `as_of`.
pub fn measure(
    occurrences: &[(Month, u64)],
    reports: &[(Month, u64)],
    effective_from: Date,
    as_of: Date,
    window_days: u32,
) -> Effect {
    let windows = window::windows(effective_from, as_of, window_months(window_days));
    let before = Side::of(windows.before, occurrences, reports);
    let after = Side::of(windows.after, occurrences, reports);
    let count = |side: &Side| Count {
        occurrences: side.occurrences,
        reports: side.reports,
    };
    let ratio = if windows.after.months == 0 {
        RateRatio::default()
    } else {
        rate_ratio::compare(count(&before), count(&after))
    };
    let (verdict, reading) = reading::read(&windows, &before, &after, &ratio);
    Effect {
        effective_from,
        as_of,
        window_days,
        before,
        after,
        ratio,
        verdict,
        reading,
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    /// `total` spread over the 12 months from `first` on, the remainder in the first months.
    fn spread(first: &str, total: u64) -> Vec<(Month, u64)> {
        let start = Month::parse(first).map_or(0, |m| m.0);
        (0..12u32)
            .map(|i| {
                (
                    Month(start + i),
                    total / 12 + u64::from(u64::from(i) < total % 12),
                )
            })
            .collect()
    }

    /// A change effective 2024-03-01, seen long after: 2023-03…2024-02 against
    /// 2024-03…2025-02, with these totals on each side.
    fn effect(before: (u64, u64), after: (u64, u64)) -> Effect {
        let mut occurrences = spread("2023-03", before.0);
        occurrences.extend(spread("2024-03", after.0));
        let mut reports = spread("2023-03", before.1);
        reports.extend(spread("2024-03", after.1));
        // Outside both windows: must not count.
        occurrences.push((Month::parse("2025-06").map_or(Month(0), |m| m), 40));
        reports.push((Month::parse("2022-01").map_or(Month(0), |m| m), 500));
        measure(
            &occurrences,
            &reports,
            date!(2024 - 03 - 01),
            date!(2026 - 11 - 28),
            365,
        )
    }

    #[test]
    fn a_clear_fall_reads_as_one() {
        // 41 of 1,000 (4.1 per 100) against 12 of 1,000 (1.2): RR = 12/41 = 0.2927. π₀ = 1/2,
        // n = 53, x = 12; Clopper–Pearson on 12 of 53 gives π from 0.1228274 to 0.3620959,
        // RR = π / (1 − π) from 0.1400264 to 0.5676338; p = 2 P(X ≤ 12) = 8.17e-5.
        let e = effect((41, 1000), (12, 1000));
        assert_eq!((e.before.occurrences, e.before.reports), (41, 1000));
        assert_eq!((e.after.occurrences, e.after.reports), (12, 1000));
        assert_eq!(e.verdict, EffectVerdict::Fell);
        assert_eq!(
            e.reading,
            "fell from 4.1 to 1.2 per 100 reports (rate ratio 0.29, 95 % CI 0.14–0.57)"
        );
        assert!(
            e.ratio
                .p_value
                .is_some_and(|p| (p - 8.171_335e-5).abs() < 1e-9)
        );
    }

    #[test]
    fn a_drop_in_reporting_is_not_an_improvement() {
        // Occurrences halve (10 → 5) but so do reports (200 → 100): 5.0 per 100 on both
        // sides, RR = 1, p = 1 (see rate_ratio's test for the interval).
        let e = effect((10, 200), (5, 100));
        assert_eq!(e.verdict, EffectVerdict::NoClearChange);
        assert_eq!(
            e.reading,
            "no clear change: 5.0 before and 5.0 after per 100 reports (rate ratio 1.00, 95 % CI 0.27–3.21)"
        );
    }

    #[test]
    fn too_few_occurrences_say_so_with_their_counts() {
        let e = effect((3, 100), (1, 100));
        assert_eq!(e.verdict, EffectVerdict::TooFew);
        assert_eq!(e.reading, "too few reports yet to tell: 3 before, 1 after");
        // The numbers are still there to see: 3 of 100 against 1 of 100, RR = 1/3, p = 0.625
        // (π₀ = 1/2, n = 4, x = 1: P(1) + P(3) + P(0) + P(4) = (4 + 4 + 1 + 1) / 16).
        assert!(e.ratio.p_value.is_some_and(|p| (p - 0.625).abs() < 1e-12));
    }

    #[test]
    fn no_reports_on_a_side_is_too_few() {
        let e = effect((0, 0), (6, 100));
        assert_eq!(e.verdict, EffectVerdict::TooFew);
        assert_eq!(
            e.reading,
            "too few reports yet to tell: no published reports in 2023-03 to 2024-02"
        );
        assert_eq!(e.ratio, RateRatio::default());
    }

    #[test]
    fn zeros_on_either_side_read_without_nan() {
        // 0.5858 and 1.1774: see rate_ratio's tests.
        let none_after = effect((8, 100), (0, 100));
        assert_eq!(
            (none_after.verdict, none_after.reading.as_str()),
            (
                EffectVerdict::Fell,
                "fell from 8.0 to 0.0 per 100 reports (rate ratio 0.00, 95 % CI 0.00–0.59)"
            )
        );
        let none_before = effect((0, 100), (6, 100));
        assert_eq!(
            (none_before.verdict, none_before.reading.as_str()),
            (
                EffectVerdict::Rose,
                "rose from 0.0 to 6.0 per 100 reports (none before the change, so no finite rate ratio; 95 % CI from 1.18 upwards)"
            )
        );
        assert_eq!(
            (none_before.ratio.estimate, none_before.ratio.ci_high),
            (None, None)
        );
    }

    #[test]
    fn a_change_this_month_is_too_soon() {
        let e = measure(&[], &[], date!(2026 - 11 - 02), date!(2026 - 11 - 28), 365);
        assert_eq!(e.verdict, EffectVerdict::TooSoon);
        assert_eq!((e.before.span.months, e.after.span.months), (0, 0));
        assert_eq!(e.ratio, RateRatio::default());
    }
}
