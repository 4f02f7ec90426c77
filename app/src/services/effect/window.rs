//! The whole months compared before and after a change, and what each of them holds.

use search::patterns::Month;
use time::Date;

pub use crate::services::patterns::month_of_day;

/// A run of whole months: `months` of them from `first` on; none when `months` is 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub first: Month,
    pub months: u32,
}

impl Span {
    pub fn contains(&self, month: Month) -> bool {
        month.0 >= self.first.0 && month.0 - self.first.0 < self.months
    }

    /// The last month in the span, if it has any.
    pub fn last(&self) -> Option<Month> {
        (self.months > 0).then(|| Month(self.first.0 + self.months - 1))
    }

    /// `2024-03 to 2025-02`, `2024-03`, or `no month`.
    pub fn label(&self) -> String {
        match self.last() {
            None => "no month".to_owned(),
            Some(last) if last == self.first => self.first.to_string(),
            Some(last) => format!("{} to {last}", self.first),
        }
    }
}

/// The two spans compared: equally long, on either side of the change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Windows {
    pub before: Span,
    pub after: Span,
}

/// The detection window in whole months, rounded as detection rounds it
/// (`search::patterns::Settings::window_months`), so both speak of the same window.
pub fn window_months(window_days: u32) -> u32 {
    ((f64::from(window_days) / 30.44).round() as u32).max(1)
}

/// The months compared for a change effective from `effective_from`, seen on `as_of`.
///
/// The effective month counts as "after" when the change took effect on its first day;
/// otherwise it was partly both and is left out of either. The "after" span holds the whole
/// months elapsed since (the month of `as_of` is not over yet), at most `window_months`; the
/// "before" span is as long, so that both see the same stretch of the year.
pub fn windows(effective_from: Date, as_of: Date, window_months: u32) -> Windows {
    let effective = month_of_day(effective_from);
    let after_first = if effective_from.day() == 1 {
        effective
    } else {
        Month(effective.0 + 1)
    };
    let elapsed = month_of_day(as_of).0.saturating_sub(after_first.0);
    let months = elapsed.min(window_months);
    Windows {
        before: Span {
            first: Month(effective.0.saturating_sub(months)),
            months,
        },
        after: Span {
            first: after_first,
            months,
        },
    }
}

/// What one side of the change holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Side {
    pub span: Span,
    /// The pattern's occurrences in the span.
    pub occurrences: u64,
    /// Published reports of any kind in the span: what the occurrences are a share of.
    pub reports: u64,
}

impl Side {
    /// Sums the counts by month that fall in `span`.
    pub fn of(span: Span, occurrences: &[(Month, u64)], reports: &[(Month, u64)]) -> Self {
        let within = |counts: &[(Month, u64)]| {
            counts
                .iter()
                .filter(|(month, _)| span.contains(*month))
                .map(|(_, n)| n)
                .sum()
        };
        Self {
            span,
            occurrences: within(occurrences),
            reports: within(reports),
        }
    }

    /// Occurrences per 100 published reports; none without reports.
    pub fn rate(&self) -> Option<f64> {
        (self.reports > 0).then(|| 100.0 * self.occurrences as f64 / self.reports as f64)
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn month(text: &str) -> Month {
        Month::parse(text).unwrap_or(Month(0))
    }

    #[test]
    fn a_change_on_the_first_counts_its_month_as_after() {
        let w = windows(date!(2024 - 03 - 01), date!(2026 - 11 - 28), 12);
        assert_eq!(w.after.label(), "2024-03 to 2025-02");
        assert_eq!(w.before.label(), "2023-03 to 2024-02");
    }

    #[test]
    fn a_change_mid_month_leaves_its_month_out_of_both() {
        let w = windows(date!(2024 - 03 - 15), date!(2026 - 11 - 28), 12);
        assert_eq!(w.after.label(), "2024-04 to 2025-03");
        assert_eq!(w.before.label(), "2023-03 to 2024-02");
        assert!(!w.before.contains(month("2024-03")) && !w.after.contains(month("2024-03")));
    }

    #[test]
    fn the_after_window_grows_with_whole_months_only() {
        // Effective 2026-09-10: after starts 2026-10; 2026-11 is not over on the 28th.
        let w = windows(date!(2026 - 09 - 10), date!(2026 - 11 - 28), 12);
        assert_eq!(
            (w.after.label(), w.before.label()),
            ("2026-10".into(), "2026-08".into())
        );
        let w = windows(date!(2026 - 11 - 02), date!(2026 - 11 - 28), 12);
        assert_eq!((w.after.months, w.before.months), (0, 0));
        assert_eq!(w.after.label(), "no month");
        // A change in the future has nothing after it either.
        assert_eq!(
            windows(date!(2027 - 01 - 01), date!(2026 - 11 - 28), 12)
                .after
                .months,
            0
        );
    }

    #[test]
    fn detection_days_become_the_same_months() {
        assert_eq!([365, 180, 90, 30, 1].map(window_months), [12, 6, 3, 1, 1]);
    }

    #[test]
    fn sides_sum_their_months_and_rate_per_hundred() {
        let span = Span {
            first: month("2024-01"),
            months: 2,
        };
        let occurrences = [
            (month("2023-12"), 9),
            (month("2024-01"), 1),
            (month("2024-02"), 2),
        ];
        let reports = [
            (month("2024-01"), 50),
            (month("2024-02"), 30),
            (month("2024-03"), 7),
        ];
        let side = Side::of(span, &occurrences, &reports);
        assert_eq!((side.occurrences, side.reports), (3, 80));
        assert_eq!(side.rate(), Some(3.75));
        assert_eq!(Side::of(span, &occurrences, &[]).rate(), None);
    }
}
