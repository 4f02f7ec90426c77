//! What the index is told about reports and guideline sections: plain data, filled in by the
//! app.

/// A published report as the index sees it.
#[derive(Clone, Debug, Default)]
pub struct IndexedReport {
    pub report_ref: String,
    pub title: String,
    pub narrative: String,
    pub lesson: String,
    pub what_helped: String,
    /// Words that describe the report without being in its text: the names and descriptions
    /// of its factors and their categories. Searching "jargon" then finds a report whose
    /// factor is "Jargon or unclear wording" even if the reporter never used the word.
    pub keywords: String,
    /// Where it happened, in the words a reader sees: the channel's and audience's names.
    /// The unit's names and the tags are indexed as text too, from `unit` and `tags`.
    pub context: String,
    pub channel: Option<String>,
    pub audience: Option<String>,
    pub impact: Option<String>,
    /// Factor slugs.
    pub factors: Vec<String>,
    /// Category slugs of those factors.
    pub categories: Vec<String>,
    /// Unit path from the root, like `["Tax Agency", "Web team"]`.
    pub unit: Vec<String>,
    pub tags: Vec<String>,
    /// `YYYYMM`: when it happened, or else when it was logged.
    pub month: u32,
}

/// A section of a guideline as the index sees it.
#[derive(Clone, Debug, Default)]
pub struct IndexedSection {
    /// The guideline's slug.
    pub guideline: String,
    pub guideline_title: String,
    /// The section's anchor, unique within its guideline.
    pub anchor: String,
    pub heading: String,
    /// The section's text as plain text, its Markdown read.
    pub text: String,
    /// A retired section is never shown as current: indexing one removes it.
    pub retired: bool,
}

/// One change to apply, from the outbox.
#[derive(Clone, Debug)]
pub enum Change {
    /// The report is published: add it, or replace the older copy.
    Upsert(Box<IndexedReport>),
    /// The report is not (or no longer) published: make sure it is absent.
    Remove(String),
    /// The section as it is now: added or replaced, or removed when retired.
    Section(Box<IndexedSection>),
    /// The section no longer exists under this guideline and anchor.
    RemoveSection { guideline: String, anchor: String },
    /// Every section of the guideline leaves the index; changes after this one in the same
    /// batch may add its current sections back.
    RemoveGuideline(String),
}
