//! Recurring patterns across teams: detected from published reports by `search::patterns`,
//! stored with their statuses, read by policy owners and moderators, run once across
//! instances by a job.

pub mod job;
mod load;
mod occurrences;
mod read;
mod run;
mod store;
mod terms;

pub use read::{
    Filters, MemberView, PatternDetail, PatternSummary, ReaderPattern, all, for_report, get, list,
    open_count, reader_view, set_status,
};
pub use run::{Kept, RunSummary, run, run_with};
pub use store::{store, this_month};

use crate::vocabulary::vocabulary;

/// The month a day falls in, in detection's terms.
pub fn month_of_day(day: time::Date) -> search::patterns::Month {
    let year = u32::try_from(day.year()).unwrap_or(0);
    search::patterns::Month(year * 12 + u32::from(u8::from(day.month())) - 1)
}

/// N, M and W of a recurrence.
pub use crate::config::PatternsConfig as DetectionSettings;

vocabulary! {
    /// Where a pattern stands with the people who look after it.
    PatternStatus {
        New => ("new", "New"),
        Acknowledged => ("acknowledged", "Acknowledged"),
        Dismissed => ("dismissed", "Dismissed"),
        Addressed => ("addressed", "Addressed"),
        Regressed => ("regressed", "Occurring again after it was addressed"),
    }
}

vocabulary! {
    /// What a person may decide about a pattern; `new` and `regressed` come from detection
    /// alone, so a client cannot even ask for them.
    StatusDecision {
        Acknowledged => ("acknowledged", "Acknowledge"),
        Dismissed => ("dismissed", "Dismiss"),
        Addressed => ("addressed", "Mark addressed"),
    }
}

impl From<StatusDecision> for PatternStatus {
    fn from(decision: StatusDecision) -> Self {
        match decision {
            StatusDecision::Acknowledged => Self::Acknowledged,
            StatusDecision::Dismissed => Self::Dismissed,
            StatusDecision::Addressed => Self::Addressed,
        }
    }
}

vocabulary! {
    /// What a pattern is made of.
    PatternKind {
        Factor => ("factor", "A contributing factor across units"),
        FactorChannel => ("factor_channel", "A contributing factor on one channel across units"),
        Theme => ("theme", "Words that recur together across units"),
        Local => ("local", "Repeating inside one unit"),
    }
}

impl From<PatternStatus> for search::patterns::Status {
    fn from(status: PatternStatus) -> Self {
        match status {
            PatternStatus::New => Self::New,
            PatternStatus::Acknowledged => Self::Acknowledged,
            PatternStatus::Dismissed => Self::Dismissed,
            PatternStatus::Addressed => Self::Addressed,
            PatternStatus::Regressed => Self::Regressed,
        }
    }
}

impl PatternStatus {
    fn from_detection(status: search::patterns::Status) -> Self {
        use search::patterns::Status;
        match status {
            Status::New => Self::New,
            Status::Acknowledged => Self::Acknowledged,
            Status::Dismissed => Self::Dismissed,
            Status::Addressed => Self::Addressed,
            Status::Regressed => Self::Regressed,
        }
    }
}
