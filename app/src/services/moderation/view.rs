//! What a moderator sees of one report: the raw text, the published draft with suggested
//! redactions and blameless-language hints, the conversation, and what may be done next.

use entities::publication;
use sea_orm::{DatabaseConnection, EntityTrait};
use serde::Serialize;
use time::{Date, Duration};

use super::{Draft, ReporterReview, TextField, find, status_of};
use crate::{
    codes::ReportRef,
    error::Result,
    services::{
        reports::{MessageView, messages},
        taxonomy, units,
    },
    text_checks::{Hint, HintKind, NotNames, Redaction, TextRules},
    vocabulary::Status,
};

/// A suggested redaction in one of the texts.
#[derive(Clone, Debug, Serialize)]
pub struct FieldRedaction {
    pub field: TextField,
    pub redaction: Redaction,
}

/// A blameless-language hint in one of the texts.
#[derive(Clone, Debug, Serialize)]
pub struct FieldHint {
    pub field: TextField,
    pub hint: Hint,
}

#[derive(Clone, Debug)]
pub struct ModerationView {
    pub report_ref: String,
    pub status: Status,
    pub submitted_on: Date,
    pub updated_on: Date,
    pub channel: Option<String>,
    pub audience: Option<String>,
    pub impact: Option<String>,
    pub unit: Option<String>,
    pub occurred_month: Option<String>,
    /// The contributing factors' names, and the same factors' slugs.
    pub factors: Vec<String>,
    pub factor_slugs: Vec<String>,
    pub tags: Vec<String>,
    /// The reporter's own words; `None` once purged after the retention period.
    pub raw: Option<Draft>,
    /// The version readers will see: saved, or else the raw text to start from.
    pub draft: Draft,
    pub draft_saved: bool,
    pub reporter_review: ReporterReview,
    pub redactions: Vec<FieldRedaction>,
    pub hints: Vec<FieldHint>,
    pub conversation: Vec<MessageView>,
    /// Whether a reporter holds a receipt (imported reports have none).
    pub has_reporter: bool,
    /// The first day the moderator may publish without the reporter's approval, when that
    /// approval is still missing.
    pub publish_without_approval_from: Option<Date>,
    pub merged_into: Option<String>,
}

impl ModerationView {
    /// Whether publishing is possible today, and if not, why.
    pub fn publish_blocker(&self, today: Date) -> Option<String> {
        publish_blocker(
            self.has_reporter,
            self.reporter_review,
            self.publish_without_approval_from,
            self.draft_saved,
            today,
        )
    }
}

pub(super) fn publish_blocker(
    has_reporter: bool,
    review: ReporterReview,
    without_approval_from: Option<Date>,
    draft_saved: bool,
    today: Date,
) -> Option<String> {
    if !draft_saved {
        return Some(
            "Save the published version first: only a saved version can be published.".to_owned(),
        );
    }
    if !has_reporter || review == ReporterReview::Approved {
        return None;
    }
    match (review, without_approval_from) {
        (ReporterReview::ChangesRequested, _) => Some(
            "The reporter asked for a change. Save a new version and offer it to them again."
                .to_owned(),
        ),
        (ReporterReview::NotAsked, _) => Some(
            "Offer the de-identified version to the reporter first: they can approve it with their receipt.".to_owned(),
        ),
        (_, Some(from)) if today < from => Some(format!(
            "The reporter has not approved this version yet; without their approval it can be published from {}.",
            written(from)
        )),
        _ => None,
    }
}

/// A date as people write it: 12 May 2026.
fn written(date: Date) -> String {
    format!("{} {} {}", date.day(), date.month(), date.year())
}

/// The first day a version offered on `prepared_on` may be published without approval.
pub(super) fn without_approval_from(
    review: ReporterReview,
    prepared_on: Date,
    wait_days: u32,
) -> Option<Date> {
    match review {
        ReporterReview::Pending => Some(prepared_on + Duration::days(i64::from(wait_days))),
        _ => None,
    }
}

/// Dismissed suggestions, stored as a JSON list of matched texts.
pub(super) fn dismissed_of(publication: Option<&publication::Model>) -> Vec<String> {
    publication
        .and_then(|p| serde_json::from_str(&p.dismissed).ok())
        .unwrap_or_default()
}

/// `not_names` are the units' names (see `units::not_names`), so that the moderator's page and
/// a decision on one suggestion see the same suggestions.
pub(super) fn suggestions(
    rules: &TextRules,
    not_names: &NotNames,
    draft: &Draft,
    dismissed: &[String],
) -> Vec<FieldRedaction> {
    TextField::ALL
        .into_iter()
        .flat_map(|field| {
            rules
                .redactions_with(draft.get(field), not_names)
                .into_iter()
                .filter(|r| !dismissed.contains(&r.original))
                .map(move |redaction| FieldRedaction { field, redaction })
        })
        .collect()
}

pub async fn detail(
    db: &DatabaseConnection,
    rules: &TextRules,
    approval_wait_days: u32,
    report_ref: &ReportRef,
) -> Result<ModerationView> {
    let report = find(db, report_ref).await?;
    let status = status_of(&report)?;
    let publication = publication::Entity::find_by_id(report.id.clone())
        .one(db)
        .await?;
    let raw = (!report.raw_purged).then(|| Draft::from_raw(&report));
    let draft = Draft::current(&report, publication.as_ref());
    let reporter_review = ReporterReview::of(publication.as_ref());
    let dismissed = dismissed_of(publication.as_ref());
    let not_names = units::not_names(db).await?;
    let redactions = suggestions(rules, &not_names, &draft, &dismissed);
    let hints = TextField::ALL
        .into_iter()
        .flat_map(|field| {
            rules
                .hints(draft.get(field))
                .into_iter()
                // Identifying details reach the moderator as suggested redactions instead.
                .filter(|hint| hint.kind == HintKind::Blame)
                .map(move |hint| FieldHint { field, hint })
        })
        .collect();
    let conversation = messages::list(db, &report.id).await?;
    let (factors, factor_slugs) = taxonomy::factors_of(db, &report.id)
        .await?
        .into_iter()
        .map(|f| (f.name, f.slug))
        .unzip();
    let unit = match report.unit_id {
        Some(id) => units::path_of(db, id).await?,
        None => None,
    };
    Ok(ModerationView {
        publish_without_approval_from: publication.as_ref().and_then(|p| {
            without_approval_from(reporter_review, p.prepared_on, approval_wait_days)
        }),
        draft_saved: publication.is_some(),
        report_ref: report.id,
        status,
        submitted_on: report.submitted_on,
        updated_on: report.updated_on,
        channel: report.channel,
        audience: report.audience,
        impact: report.impact,
        unit,
        occurred_month: report.occurred_month,
        factors,
        factor_slugs,
        tags: report.tags.split_whitespace().map(str::to_owned).collect(),
        raw,
        draft,
        reporter_review,
        redactions,
        hints,
        conversation,
        has_reporter: report.receipt_hash.is_some(),
        merged_into: report.merged_into,
    })
}
