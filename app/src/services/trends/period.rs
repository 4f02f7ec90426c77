//! The period of a trend report: a month, a quarter, a year or two days, read from what a
//! person or a client typed, with the same period a year earlier.

use time::{Date, Duration, Month};

use crate::{error::AppError, month::YearMonth};

/// The longest period a report covers: its months are rows of a table.
const MAX_MONTHS: usize = 60;

/// From one day to another, both included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub from: Date,
    pub to: Date,
}

impl Period {
    /// Reads `YYYY-MM` (a month), `YYYY-Qn` (a quarter) or `YYYY` (a year); the error
    /// names `field`.
    pub fn named(text: &str, field: &str) -> Result<Self, AppError> {
        let text = text.trim();
        let bad = || {
            AppError::invalid(
                field,
                format!(
                    "'{text}' is not a period: write 2026-03 for a month, 2026-Q1 for a quarter or 2026 for a year"
                ),
            )
        };
        if let Some((year, quarter)) = text.split_once(['Q', 'q']) {
            let year = year.strip_suffix('-').unwrap_or(year);
            let year: i32 = four_digits(year).ok_or_else(bad)?;
            let quarter: u8 = match quarter {
                "1" | "2" | "3" | "4" => quarter.parse().map_err(|_| bad())?,
                _ => return Err(bad()),
            };
            let first = month(year, (quarter - 1) * 3 + 1).ok_or_else(bad)?;
            let last = month(year, quarter * 3).ok_or_else(bad)?;
            return Ok(Self::spanning(first, last));
        }
        if text.len() == 4 {
            let year = four_digits(text).ok_or_else(bad)?;
            let first = month(year, 1).ok_or_else(bad)?;
            let last = month(year, 12).ok_or_else(bad)?;
            return Ok(Self::spanning(first, last));
        }
        if text.len() == 7 {
            let m = YearMonth::parse(text).map_err(|_| bad())?;
            return Ok(Self::spanning(m, m));
        }
        Err(bad())
    }

    /// Two days as `YYYY-MM-DD`, each error naming its own field.
    pub fn between(from: &str, to: &str) -> Result<Self, AppError> {
        let from_day = day(from, "from");
        let to_day = day(to, "to");
        let (from, to) = match (from_day, to_day) {
            (Ok(from), Ok(to)) => (from, to),
            (Err(AppError::Invalid(mut a)), Err(AppError::Invalid(b))) => {
                a.extend(b);
                return Err(AppError::Invalid(a));
            }
            (Err(e), _) | (_, Err(e)) => return Err(e),
        };
        if to < from {
            return Err(AppError::invalid("to", "must not be before 'from'"));
        }
        let period = Self { from, to };
        if period.months().len() > MAX_MONTHS {
            return Err(AppError::invalid(
                "to",
                format!("a report covers at most {} years", MAX_MONTHS / 12),
            ));
        }
        Ok(period)
    }

    /// The last full quarter before `today`: the report a policy owner takes to a meeting.
    pub fn last_quarter(today: Date) -> Self {
        let quarter = (u8::from(today.month()) - 1) / 3;
        let (year, quarter) = if quarter == 0 {
            (today.year() - 1, 4)
        } else {
            (today.year(), quarter)
        };
        match (month(year, (quarter - 1) * 3 + 1), month(year, quarter * 3)) {
            (Some(first), Some(last)) => Self::spanning(first, last),
            _ => Self {
                from: today,
                to: today,
            },
        }
    }

    fn spanning(first: YearMonth, last: YearMonth) -> Self {
        Self {
            from: first.first_day(),
            to: last_day(last),
        }
    }

    /// Every month the period touches, in order.
    pub fn months(&self) -> Vec<YearMonth> {
        let mut months = Vec::new();
        let mut m = YearMonth::of(self.from);
        let last = YearMonth::of(self.to);
        while m <= last && months.len() <= MAX_MONTHS {
            months.push(m);
            m = YearMonth::of(last_day(m) + Duration::days(1));
        }
        months
    }

    /// The same days a year earlier (29 February becomes the 28th).
    pub fn year_earlier(&self) -> Self {
        Self {
            from: a_year_before(self.from),
            to: a_year_before(self.to),
        }
    }

    /// How the period reads: "2026-Q1", "2026-03", "2026" or "2026-01-15 to 2026-02-10".
    pub fn label(&self) -> String {
        let (first, last) = (YearMonth::of(self.from), YearMonth::of(self.to));
        let whole = self.from == first.first_day() && self.to == last_day(last);
        let count = self.months().len();
        let first_month = u8::from(self.from.month());
        match (whole, count) {
            (true, 1) => first.to_string(),
            (true, 3) if first.year() == last.year() && first_month % 3 == 1 => {
                format!("{}-Q{}", first.year(), first_month / 3 + 1)
            }
            (true, 12) if first_month == 1 && first.year() == last.year() => {
                first.year().to_string()
            }
            _ => format!("{} to {}", self.from, self.to),
        }
    }
}

fn four_digits(text: &str) -> Option<i32> {
    (text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

fn month(year: i32, number: u8) -> Option<YearMonth> {
    let month = Month::try_from(number).ok()?;
    Date::from_calendar_date(year, month, 1)
        .ok()
        .map(YearMonth::of)
}

fn last_day(m: YearMonth) -> Date {
    let first = m.first_day();
    first
        .replace_day(first.month().length(first.year()))
        .unwrap_or(first)
}

fn a_year_before(date: Date) -> Date {
    let year = date.year() - 1;
    let day = date.day().min(date.month().length(year));
    Date::from_calendar_date(year, date.month(), day).unwrap_or(date)
}

/// A day as `YYYY-MM-DD`, the error naming `field`.
fn day(text: &str, field: &str) -> Result<Date, AppError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text.trim(), format).map_err(|_| {
        AppError::invalid(
            field,
            format!("'{}' is not a day in the form YYYY-MM-DD", text.trim()),
        )
    })
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn months_quarters_and_years_are_read() -> Result<(), AppError> {
        let q = Period::named("2026-Q1", "period")?;
        assert_eq!(
            (q.from, q.to),
            (date!(2026 - 01 - 01), date!(2026 - 03 - 31))
        );
        assert_eq!(q.label(), "2026-Q1");
        let m = Period::named("2024-02", "period")?;
        assert_eq!(m.to, date!(2024 - 02 - 29));
        assert_eq!(m.year_earlier().to, date!(2023 - 02 - 28));
        let y = Period::named("2025", "period")?;
        assert_eq!(y.months().len(), 12);
        assert_eq!(y.label(), "2025");
        Ok(())
    }

    #[test]
    fn bad_periods_and_days_name_their_field() {
        for text in ["2026-Q5", "26", "2026-13", "spring", "2026-Q"] {
            assert!(
                matches!(Period::named(text, "period"), Err(AppError::Invalid(e)) if e[0].field == "period"),
                "{text}"
            );
        }
        let Err(AppError::Invalid(errors)) = Period::between("2026-02-30", "x") else {
            panic!("bad days were accepted");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["from", "to"]);
        assert!(
            matches!(Period::between("2026-03-01", "2026-02-01"), Err(AppError::Invalid(e)) if e[0].field == "to")
        );
        assert!(Period::between("2010-01-01", "2026-01-01").is_err());
    }

    #[test]
    fn the_last_quarter_is_the_last_full_one() {
        let p = Period::last_quarter(date!(2026 - 02 - 10));
        assert_eq!(
            (p.from, p.to),
            (date!(2025 - 10 - 01), date!(2025 - 12 - 31))
        );
        let p = Period::last_quarter(date!(2026 - 11 - 28));
        assert_eq!(p.label(), "2026-Q3");
    }
}
