//! The audit log: every privileged action by a staff account — who, what, when.
//!
//! Reporters never appear here: nothing on the anonymous paths calls [`record`].

use entities::audit_event;
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait, QueryOrder, QuerySelect,
};
use time::{OffsetDateTime, PrimitiveDateTime};

use crate::{error::Result, services::accounts::Account, vocabulary::vocabulary};

vocabulary! {
    /// Every privileged action the log records, by the name it is stored under.
    AuditAction {
        UserAdd => ("user.add", "Account added"),
        UserDisable => ("user.disable", "Account disabled"),
        TokenIssue => ("token.issue", "API token issued"),
        TokenRevoke => ("token.revoke", "API token revoked"),
        ReportRead => ("report.read", "Raw text read"),
        ReportDraft => ("report.draft", "Published version saved"),
        ReportClassify => ("report.classify", "Channel, impact or factors corrected"),
        ReportRedact => ("report.redact", "Suggested redaction applied"),
        ReportDismissRedaction => ("report.dismiss_redaction", "Suggested redaction dismissed"),
        ReportAsk => ("report.ask", "Reporter asked a question"),
        ReportPublish => ("report.publish", "Published"),
        ReportReject => ("report.reject", "Rejected"),
        ReportMerge => ("report.merge", "Merged into a published lesson"),
        GuidelineCreate => ("guideline.create", "Guideline created"),
        GuidelineRevise => ("guideline.revise", "Guideline changed"),
        GuidelineImport => ("guideline.import", "Guideline imported"),
        GuidelineLink => ("guideline.link", "Lesson linked to guidance"),
        GuidelineUnlink => ("guideline.unlink", "Lesson unlinked from guidance"),
        ThesaurusAdd => ("thesaurus.add", "Thesaurus group added"),
        ThesaurusEdit => ("thesaurus.edit", "Thesaurus group changed"),
        ThesaurusRemove => ("thesaurus.remove", "Thesaurus group removed"),
        ThesaurusReset => ("thesaurus.reset", "Thesaurus back to its default groups"),
        PatternStatus => ("pattern.status", "Pattern acknowledged, dismissed or addressed"),
        SuggestionAccept => ("suggestion.accept", "Suggested guideline change accepted"),
        SuggestionReject => ("suggestion.reject", "Suggested guideline change rejected"),
        SuggestionDefer => ("suggestion.defer", "Suggested guideline change deferred"),
        SuggestionTemplate => ("suggestion.template", "Suggestion template changed"),
        UnitHeadcount => ("unit.headcount", "Unit headcount set"),
    }
}

/// One line of the log as admins read it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct AuditEntry {
    /// UTC, to the second.
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: Option<String>,
    pub detail: String,
}

/// Records that `actor` did `action` to `target`; called in the same transaction as the
/// action itself, so the log cannot miss one that happened.
pub async fn record(
    db: &impl ConnectionTrait,
    actor: &Account,
    action: AuditAction,
    target: Option<&str>,
    detail: impl Into<String>,
) -> Result<()> {
    record_as(db, &actor.name, action, target, detail).await
}

/// As [`record`], for actions from the command line, where the actor is the operator.
pub async fn record_as(
    db: &impl ConnectionTrait,
    actor: &str,
    action: AuditAction,
    target: Option<&str>,
    detail: impl Into<String>,
) -> Result<()> {
    let now = OffsetDateTime::now_utc();
    let at = PrimitiveDateTime::new(now.date(), now.time());
    audit_event::Entity::insert(audit_event::ActiveModel {
        at: Set(at),
        actor: Set(actor.to_owned()),
        action: Set(action.slug().to_owned()),
        target: Set(target.map(str::to_owned)),
        detail: Set(detail.into()),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The latest entries, newest first.
pub async fn latest(db: &DatabaseConnection, limit: u64) -> Result<Vec<AuditEntry>> {
    Ok(audit_event::Entity::find()
        .order_by_desc(audit_event::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|e| AuditEntry {
            at: format!(
                "{} {:02}:{:02}:{:02} UTC",
                e.at.date(),
                e.at.hour(),
                e.at.minute(),
                e.at.second()
            ),
            actor: e.actor,
            action: e.action,
            target: e.target,
            detail: e.detail,
        })
        .collect())
}
