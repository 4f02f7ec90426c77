//! What the index is told about a report: plain data, filled in by the app.

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

/// One change to apply, from the outbox.
#[derive(Clone, Debug)]
pub enum Change {
    /// The report is published: add it, or replace the older copy.
    Upsert(Box<IndexedReport>),
    /// The report is not (or no longer) published: make sure it is absent.
    Remove(String),
}
