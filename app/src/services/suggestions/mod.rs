//! From recurring patterns to guideline updates: for each pattern that needs one, the section
//! it concerns, a decision to *reinforce* that section or *add* one, a drafted text with the
//! pattern's evidence, and what a policy owner decided.
//!
//! - [`refresh`] drafts or updates the suggestions of every pattern (after each detection run
//!   and on demand), keeping one per pattern and target section, and bringing back a rejected
//!   one only when its pattern has grown clearly, a deferred one on its date.
//! - [`list`], [`get`] and [`open_count`] read them; [`accept`], [`reject`] and [`defer`]
//!   decide, each in one transaction with its audit entry. Accepting writes the guideline
//!   revision, with the pattern, the suggestion and the lessons as its evidence, and marks the
//!   pattern addressed.
//! - [`templates`] holds the drafts' wording: handlebars shipped as data, replaceable by
//!   admins.

mod decide;
mod draft;
mod read;
mod refresh;
mod target;
pub mod templates;

pub use decide::{Acceptance, accept, defer, reject};
pub use read::{Decided, Filters, SuggestionView, get, list, open_count};
pub use refresh::{RefreshSummary, refresh};

use crate::vocabulary::vocabulary;

vocabulary! {
    /// What a suggestion proposes.
    SuggestionKind {
        Reinforce => ("reinforce", "Reinforce a section"),
        Add => ("add", "Add a section"),
    }
}

vocabulary! {
    /// Where a suggestion stands.
    SuggestionStatus {
        Open => ("open", "Open"),
        Deferred => ("deferred", "Deferred"),
        Accepted => ("accepted", "Accepted"),
        Rejected => ("rejected", "Rejected"),
    }
}

/// Months after a change's effective month in which the pattern may still occur without
/// regressing: mistakes made before people read the new rule are still being reported.
pub const GRACE_MONTHS: u32 = 2;
