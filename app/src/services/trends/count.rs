//! The counts behind a trend report. The period's whole months are read from the counts kept
//! in the aggregate tables (rows by unit, channel and the like, however many reports each
//! counts); a month the period only partly covers is counted from the reports of its days.
//!
//! "Received" counts every report logged in the period but the withdrawn ones, by the day
//! it was logged; "published" counts the lessons published in the period, by the day of
//! publication, and every breakdown is of those. Dates are days already, so grouping them by
//! month dates no one more precisely than the tables do.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use sea_orm::ConnectionTrait;
use time::Date;

use super::{kept, period::Period, scan, sql::Sql};
use crate::{error::Result, month::YearMonth, vocabulary::Channel};

/// Which reports a report counts: its period, a unit subtree and a channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    pub period: Period,
    /// The ids of the chosen unit and every unit under it; `None` for the whole organisation.
    pub units: Option<Vec<i32>>,
    pub channel: Option<Channel>,
}

/// Published reports of one month with the same channel, audience, impact and unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublishedGroup {
    pub month: String,
    pub channel: Option<String>,
    pub audience: Option<String>,
    pub impact: Option<String>,
    pub unit_id: Option<i32>,
    pub count: u64,
}

/// The raw counts, before any table is laid out or any cell suppressed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub received: BTreeMap<String, u64>,
    pub received_before: BTreeMap<String, u64>,
    pub published: Vec<PublishedGroup>,
    pub published_before: BTreeMap<String, u64>,
    /// `(factor id, channel, month, reports)`.
    pub factors: Vec<(i32, Option<String>, String, u64)>,
    /// `(category id, month, distinct reports)`.
    pub categories: Vec<(i32, String, u64)>,
    /// Published reports naming at least one factor, by month.
    pub with_factor: BTreeMap<String, u64>,
    /// `(days from logging to publication, reports)`.
    pub days: Vec<(i64, u64)>,
    /// `(reporter review slug, reports)`.
    pub reviews: Vec<(String, u64)>,
    /// `(signal kind slug, signals, distinct lessons)`.
    pub signals: Vec<(String, u64, u64)>,
}

/// Everything the report counts; `categories` gives each factor's category.
pub async fn counts(
    db: &impl ConnectionTrait,
    scope: &Scope,
    categories: &HashMap<i32, i32>,
) -> Result<Counts> {
    let sql = Sql::of(db);
    let mut tally = Tally::default();
    let now = Split::of(&scope.period);
    if let Some(months) = now.whole {
        tally.received = kept::received(db, &sql, months, scope).await?;
        kept::published(db, &sql, months, scope, &mut tally).await?;
    }
    for part in &now.partial {
        add(
            &mut tally.received,
            scan::received(db, &sql, part, scope).await?,
        );
        scan::published(db, &sql, part, scope, &mut tally).await?;
    }
    let earlier = Split::of(&scope.period.year_earlier());
    if let Some(months) = earlier.whole {
        tally.received_before = kept::received(db, &sql, months, scope).await?;
        tally.published_before = kept::published_by_month(db, &sql, months, scope).await?;
    }
    for part in &earlier.partial {
        let received = scan::received(db, &sql, part, scope).await?;
        add(&mut tally.received_before, received);
        let published = scan::published_by_month(db, &sql, part, scope).await?;
        add(&mut tally.published_before, published);
    }
    let mut counts = tally.into_counts(categories);
    counts.signals = scan::signals(db, &sql, scope).await?;
    Ok(counts)
}

/// As [`counts`], read from the reports alone, every month as a partial one: what the kept
/// counts must always agree with. For the tests and the benchmark.
pub async fn counts_from_reports(
    db: &impl ConnectionTrait,
    scope: &Scope,
    categories: &HashMap<i32, i32>,
) -> Result<Counts> {
    let sql = Sql::of(db);
    let mut tally = Tally {
        received: scan::received(db, &sql, &scope.period, scope).await?,
        ..Tally::default()
    };
    scan::published(db, &sql, &scope.period, scope, &mut tally).await?;
    let earlier = scope.period.year_earlier();
    tally.received_before = scan::received(db, &sql, &earlier, scope).await?;
    tally.published_before = scan::published_by_month(db, &sql, &earlier, scope).await?;
    let mut counts = tally.into_counts(categories);
    counts.signals = scan::signals(db, &sql, scope).await?;
    Ok(counts)
}

fn add(into: &mut BTreeMap<String, u64>, from: BTreeMap<String, u64>) {
    for (month, n) in from {
        *into.entry(month).or_default() += n;
    }
}

/// A period as the whole months it covers, which the kept counts answer, and the parts of
/// the months it covers only in part, which are counted from the reports.
#[derive(Debug, PartialEq, Eq)]
struct Split {
    whole: Option<(YearMonth, YearMonth)>,
    partial: Vec<Period>,
}

impl Split {
    fn of(period: &Period) -> Self {
        let months = period.months();
        let is_whole = |m: &YearMonth| period.from <= m.first_day() && last_day(*m) <= period.to;
        let whole: Vec<YearMonth> = months.iter().copied().filter(is_whole).collect();
        let (Some(first), Some(last)) = (whole.first(), whole.last()) else {
            return Self {
                whole: None,
                partial: vec![*period],
            };
        };
        let mut partial = Vec::new();
        if period.from < first.first_day() {
            partial.push(Period {
                from: period.from,
                to: first.first_day().previous_day().unwrap_or(period.from),
            });
        }
        if last_day(*last) < period.to {
            partial.push(Period {
                from: last_day(*last).next_day().unwrap_or(period.to),
                to: period.to,
            });
        }
        Self {
            whole: Some((*first, *last)),
            partial,
        }
    }
}

fn last_day(m: YearMonth) -> Date {
    let first = m.first_day();
    first
        .replace_day(first.month().length(first.year()))
        .unwrap_or(first)
}

/// Counts gathered from the kept counts and from the reports, before they are summed up the
/// way the report reads them.
#[derive(Debug, Default)]
pub struct Tally {
    pub received: BTreeMap<String, u64>,
    pub received_before: BTreeMap<String, u64>,
    pub published: Vec<PublishedGroup>,
    pub published_before: BTreeMap<String, u64>,
    /// Lessons by `(month, channel, factor ids comma-separated)`.
    pub factor_sets: BTreeMap<(String, Option<String>, String), u64>,
    pub days: BTreeMap<i64, u64>,
    /// Lessons by the reporter's review ("" for none).
    pub reviews: BTreeMap<String, u64>,
}

impl Tally {
    /// Factors, their categories and the lessons naming any come from the sets of factors
    /// the lessons name: a lesson naming two factors of one category counts once in it.
    fn into_counts(self, categories: &HashMap<i32, i32>) -> Counts {
        let mut factor_counts: BTreeMap<(i32, Option<String>, String), u64> = BTreeMap::new();
        let mut category_counts: BTreeMap<(i32, String), u64> = BTreeMap::new();
        let mut with_factor: BTreeMap<String, u64> = BTreeMap::new();
        for ((month, channel, set), n) in self.factor_sets {
            let ids: BTreeSet<i32> = set
                .split(',')
                .filter_map(|id| id.trim().parse().ok())
                .collect();
            for id in &ids {
                *factor_counts
                    .entry((*id, channel.clone(), month.clone()))
                    .or_default() += n;
            }
            let in_categories: BTreeSet<i32> = ids
                .iter()
                .filter_map(|id| categories.get(id).copied())
                .collect();
            for category in in_categories {
                *category_counts
                    .entry((category, month.clone()))
                    .or_default() += n;
            }
            if !ids.is_empty() {
                *with_factor.entry(month).or_default() += n;
            }
        }
        Counts {
            received: self.received,
            received_before: self.received_before,
            published: self.published,
            published_before: self.published_before,
            factors: factor_counts
                .into_iter()
                .map(|((id, channel, month), n)| (id, channel, month, n))
                .collect(),
            categories: category_counts
                .into_iter()
                .map(|((id, month), n)| (id, month, n))
                .collect(),
            with_factor,
            days: self.days.into_iter().collect(),
            reviews: self.reviews.into_iter().collect(),
            signals: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn split(from: Date, to: Date) -> Split {
        Split::of(&Period { from, to })
    }

    fn month(text: &str) -> YearMonth {
        YearMonth::parse(text).unwrap_or_else(|_| panic!("{text} is a month"))
    }

    #[test]
    fn whole_months_are_read_from_the_kept_counts_and_the_rest_from_the_reports() {
        let year = split(date!(2025 - 01 - 01), date!(2025 - 12 - 31));
        assert_eq!(year.whole, Some((month("2025-01"), month("2025-12"))));
        assert!(year.partial.is_empty());

        let days = split(date!(2026 - 01 - 15), date!(2026 - 04 - 10));
        assert_eq!(days.whole, Some((month("2026-02"), month("2026-03"))));
        assert_eq!(
            days.partial,
            [
                Period {
                    from: date!(2026 - 01 - 15),
                    to: date!(2026 - 01 - 31)
                },
                Period {
                    from: date!(2026 - 04 - 01),
                    to: date!(2026 - 04 - 10)
                }
            ]
        );

        // No whole month: the period is counted from the reports as it is.
        let across = split(date!(2026 - 01 - 15), date!(2026 - 02 - 10));
        assert_eq!(across.whole, None);
        assert_eq!(across.partial.len(), 1);

        // February of a leap year ends on the 29th; a year earlier, on the 28th.
        let leap = split(date!(2024 - 02 - 01), date!(2024 - 02 - 29));
        assert_eq!(leap.whole, Some((month("2024-02"), month("2024-02"))));
        let earlier = Split::of(
            &Period {
                from: date!(2024 - 02 - 01),
                to: date!(2024 - 02 - 29),
            }
            .year_earlier(),
        );
        assert_eq!(earlier.whole, Some((month("2023-02"), month("2023-02"))));
    }

    #[test]
    fn a_lesson_naming_two_factors_of_a_category_counts_once_in_it() {
        let mut tally = Tally::default();
        tally
            .factor_sets
            .insert(("2026-01".into(), Some("email".into()), "3,7".into()), 2);
        tally
            .factor_sets
            .insert(("2026-01".into(), None, String::new()), 5);
        let counts = tally.into_counts(&HashMap::from([(3, 1), (7, 1)]));
        assert_eq!(counts.categories, [(1, "2026-01".to_owned(), 2)]);
        assert_eq!(counts.factors.len(), 2);
        assert_eq!(counts.with_factor.get("2026-01"), Some(&2));
    }
}
