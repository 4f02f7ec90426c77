//! `YearMonth`: a calendar month, the precision at which reports are dated for readers.

use std::fmt;

use time::{Date, Month};

/// A month of the calendar, written `YYYY-MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    year: i32,
    month: Month,
}

/// Why a text is not a month, in words that follow the value it is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MonthError {
    #[error("is not a date in the form YYYY-MM or YYYY-MM-DD")]
    Form,
    #[error("is not a date: months run from 01 to 12")]
    NoSuchMonth,
    #[error("is not a date: that month has no such day")]
    NoSuchDay,
}

impl YearMonth {
    /// The month of a day.
    pub fn of(date: Date) -> Self {
        Self {
            year: date.year(),
            month: date.month(),
        }
    }

    /// Reads `YYYY-MM` or `YYYY-MM-DD`. A day is not kept, but it must be one of the
    /// calendar, lest a mistyped date be read as some other month.
    pub fn parse(text: &str) -> Result<Self, MonthError> {
        let digits =
            |part: &str, len: usize| part.len() == len && part.bytes().all(|b| b.is_ascii_digit());
        let mut parts = text.split('-');
        let (Some(year), Some(month)) = (parts.next(), parts.next()) else {
            return Err(MonthError::Form);
        };
        let day = parts.next();
        if parts.next().is_some()
            || !digits(year, 4)
            || !digits(month, 2)
            || day.is_some_and(|d| !digits(d, 2))
        {
            return Err(MonthError::Form);
        }
        let year: i32 = year.parse().map_err(|_| MonthError::Form)?;
        let month = month
            .parse::<u8>()
            .ok()
            .and_then(|m| Month::try_from(m).ok())
            .ok_or(MonthError::NoSuchMonth)?;
        if let Some(day) = day {
            let day = day.parse().map_err(|_| MonthError::Form)?;
            Date::from_calendar_date(year, month, day).map_err(|_| MonthError::NoSuchDay)?;
        }
        Ok(Self { year, month })
    }

    pub fn year(self) -> i32 {
        self.year
    }

    /// The month as the number `YYYYMM`, as the search index orders months.
    pub fn key(self) -> u32 {
        u32::try_from(self.year).unwrap_or(0) * 100 + u32::from(self.month as u8)
    }

    /// The first day of the month.
    pub fn first_day(self) -> Date {
        // Day 1 exists in every month of every year `Date` can hold.
        Date::from_calendar_date(self.year, self.month, 1).unwrap_or(Date::MIN)
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month as u8)
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn months_and_days_of_the_calendar_are_read() {
        let march = YearMonth::parse("2026-03");
        assert_eq!(march, YearMonth::parse("2026-03-31"));
        assert_eq!(march.map(|m| m.to_string()).as_deref(), Ok("2026-03"));
        assert_eq!(march.map(YearMonth::key), Ok(202_603));
        assert_eq!(
            YearMonth::of(date!(2026 - 03 - 14)).first_day(),
            date!(2026 - 03 - 01)
        );
        assert!(YearMonth::of(date!(2025 - 12 - 31)) < YearMonth::of(date!(2026 - 01 - 01)));
    }

    #[test]
    fn anything_else_is_refused_with_its_reason() {
        for (text, error) in [
            ("2026-13", MonthError::NoSuchMonth),
            ("2026-00", MonthError::NoSuchMonth),
            ("2026-02-30", MonthError::NoSuchDay),
            ("26-01", MonthError::Form),
            ("2026-3", MonthError::Form),
            ("2026-03-1", MonthError::Form),
            ("2026-03-01-01", MonthError::Form),
            ("March", MonthError::Form),
            ("+202-03", MonthError::Form),
        ] {
            assert_eq!(YearMonth::parse(text), Err(error), "{text}");
        }
    }
}
