//! A suggested update of a guideline drawn from a recurring pattern, and its decision.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "suggestions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub pattern_id: i32,
    pub guideline_id: i32,
    /// The section to reinforce; blank when the suggestion adds a section.
    pub anchor: String,
    /// 1, then one more each time the pattern regresses after an accepted change of the same
    /// section.
    pub round: i32,
    /// `reinforce` or `add`.
    pub kind: String,
    /// The section's heading as proposed.
    #[sea_orm(column_type = "Text")]
    pub heading: String,
    /// The sentence that says why.
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    /// The section's whole Markdown as proposed.
    #[sea_orm(column_type = "Text")]
    pub proposed_text: String,
    /// JSON list of the refs of the published lessons quoted.
    #[sea_orm(column_type = "Text")]
    pub quoted: String,
    pub score: f64,
    /// `open`, `deferred`, `accepted` or `rejected`.
    pub status: String,
    /// The pattern's occurrences when the suggestion was last drafted.
    pub pattern_occurrences: i32,
    pub drafted_on: TimeDate,
    pub deferred_until: Option<TimeDate>,
    /// The account that decided.
    pub decided_by: Option<String>,
    pub decided_on: Option<TimeDate>,
    #[sea_orm(column_type = "Text", nullable)]
    pub decision_rationale: Option<String>,
    /// The pattern's occurrences when it was decided: a rejected one comes back only when the
    /// pattern has grown clearly beyond them.
    pub occurrences_at_decision: Option<i32>,
    /// The guideline revision that accepting it made.
    pub revision: Option<i32>,
    pub effective_from: Option<TimeDate>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
