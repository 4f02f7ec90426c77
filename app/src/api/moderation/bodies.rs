//! The JSON shapes of the moderation API: what a moderator reads and what they send.

use poem_openapi::{Object, types::MaybeUndefined};
use serde::Deserialize;

use crate::{
    services::moderation::{
        Classification, Draft, DraftEdit, ModerationView, RedactionDecision, ReporterReview,
    },
    today,
    vocabulary::{Channel, Impact, Status, Vocabulary},
};

#[derive(Debug, Object)]
pub struct QueueCountsBody {
    pub new: u64,
    pub updated: u64,
    pub awaiting_reporter: u64,
    pub needs_info: u64,
}

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct QueueEntry {
    #[oai(rename = "ref")]
    pub report_ref: String,
    pub title: String,
    pub status: Status,
    /// `YYYY-MM-DD`.
    pub submitted_on: String,
    pub impact: Option<String>,
    pub reporter_review: ReporterReview,
    /// The reporter wrote since a moderator last did.
    pub reporter_wrote: bool,
}

/// New and updated reports, oldest first.
#[derive(Debug, Object)]
pub struct QueueBody {
    pub counts: QueueCountsBody,
    pub reports: Vec<QueueEntry>,
}

/// The four texts of a report.
#[derive(Debug, Object)]
pub struct TextsBody {
    pub title: String,
    pub narrative: String,
    pub what_helped: String,
    pub lesson: String,
    pub tags: Vec<String>,
}

impl From<Draft> for TextsBody {
    fn from(d: Draft) -> Self {
        Self {
            title: d.title,
            narrative: d.narrative,
            what_helped: d.what_helped,
            lesson: d.lesson,
            tags: d.tags.split_whitespace().map(str::to_owned).collect(),
        }
    }
}

#[derive(Debug, Object)]
pub struct RedactionBody {
    /// `title`, `narrative`, `what_helped` or `lesson`.
    pub field: String,
    /// Send back to accept or dismiss this suggestion.
    pub id: String,
    /// `email`, `phone`, `handle`, `url`, `staff_number` or `name`.
    pub kind: String,
    /// Byte offsets in the field's text.
    pub start: u64,
    pub end: u64,
    pub original: String,
    pub replacement: String,
}

#[derive(Debug, Object)]
pub struct HintBody {
    pub field: String,
    pub rule: String,
    /// `blame` or `identifying`.
    pub kind: String,
    pub excerpt: String,
    pub explanation: String,
    pub reframing: String,
}

#[derive(Debug, Object)]
pub struct ConversationMessage {
    /// `reporter` or `moderator`.
    pub author: String,
    pub kind: String,
    pub body: String,
    pub created_on: String,
}

/// Everything a moderator needs to decide on one report. Optional fields are left out when
/// they have no value.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ModerationReportBody {
    #[oai(rename = "ref")]
    pub report_ref: String,
    pub status: Status,
    pub submitted_on: String,
    pub channel: Option<String>,
    pub audience: Option<String>,
    pub impact: Option<String>,
    pub unit: Option<String>,
    pub occurred_month: Option<String>,
    pub factors: Vec<String>,
    pub tags: Vec<String>,
    /// The reporter's own words; absent once purged after the retention period.
    pub raw: Option<TextsBody>,
    /// The version to publish: saved, or else the raw text to start from.
    pub published_draft: TextsBody,
    pub draft_saved: bool,
    pub reporter_review: ReporterReview,
    pub redactions: Vec<RedactionBody>,
    pub hints: Vec<HintBody>,
    pub conversation: Vec<ConversationMessage>,
    pub has_reporter: bool,
    /// Why publishing is not possible today, if it is not.
    pub publish_blocker: Option<String>,
    pub merged_into: Option<String>,
}

impl From<ModerationView> for ModerationReportBody {
    fn from(view: ModerationView) -> Self {
        Self {
            publish_blocker: view.publish_blocker(today()),
            report_ref: view.report_ref,
            status: view.status,
            submitted_on: view.submitted_on.to_string(),
            channel: view.channel,
            audience: view.audience,
            impact: view.impact,
            unit: view.unit,
            occurred_month: view.occurred_month,
            factors: view.factors,
            tags: view.tags,
            raw: view.raw.map(Into::into),
            published_draft: view.draft.into(),
            draft_saved: view.draft_saved,
            reporter_review: view.reporter_review,
            redactions: view
                .redactions
                .into_iter()
                .map(|r| RedactionBody {
                    field: r.field.slug().to_owned(),
                    id: r.redaction.id,
                    kind: r.redaction.kind.slug().to_owned(),
                    start: r.redaction.start as u64,
                    end: r.redaction.end as u64,
                    original: r.redaction.original,
                    replacement: r.redaction.replacement,
                })
                .collect(),
            hints: view
                .hints
                .into_iter()
                .map(|h| HintBody {
                    field: h.field.slug().to_owned(),
                    rule: h.hint.rule,
                    kind: h.hint.kind.slug().to_owned(),
                    excerpt: h.hint.excerpt,
                    explanation: h.hint.explanation,
                    reframing: h.hint.reframing,
                })
                .collect(),
            conversation: view
                .conversation
                .into_iter()
                .map(|m| ConversationMessage {
                    author: m.author.slug().to_owned(),
                    kind: m.kind.slug().to_owned(),
                    body: m.body,
                    created_on: m.created_on.to_string(),
                })
                .collect(),
            has_reporter: view.has_reporter,
            merged_into: view.merged_into,
        }
    }
}

#[derive(Debug, Object, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftRequest {
    /// At most 200 characters, not blank. No text may hold control characters but tabs and
    /// line breaks.
    #[oai(validator(
        max_length = 200,
        pattern = r"^(?:[^\x00-\x08\x0B-\x1F\x7F-\x9F]|\r\n)*[^\x00-\x20\x7F-\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000](?:[^\x00-\x08\x0B-\x1F\x7F-\x9F]|\r\n)*$"
    ))]
    pub title: String,
    /// Not blank.
    #[oai(validator(
        pattern = r"^(?:[^\x00-\x08\x0B-\x1F\x7F-\x9F]|\r\n)*[^\x00-\x20\x7F-\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000](?:[^\x00-\x08\x0B-\x1F\x7F-\x9F]|\r\n)*$"
    ))]
    pub narrative: String,
    #[oai(
        default,
        validator(pattern = r"^(?:[^\x00-\x08\x0B-\x1F\x7F-\x9F]|\r\n)*$")
    )]
    #[serde(default)]
    pub what_helped: String,
    #[oai(
        default,
        validator(pattern = r"^(?:[^\x00-\x08\x0B-\x1F\x7F-\x9F]|\r\n)*$")
    )]
    #[serde(default)]
    pub lesson: String,
    /// The tags to publish, at most 12 of at most 40 letters, digits, spaces and `-_/.&+#`
    /// (stored in lower case, with spaces as dashes); left out, the version's current tags stay.
    #[oai(
        nullable,
        validator(
            max_items = 12,
            max_length = 40,
            pattern = r"^(?:[^\W\u0130]|[ \-/.&+#])*$"
        )
    )]
    pub tags: Option<Vec<String>>,
    /// The channel, corrected; left out, it stays. `null` clears it, which only a report
    /// imported without one may be: a reporter always names one.
    #[oai(nullable)]
    #[serde(default)]
    pub channel: MaybeUndefined<Channel>,
    /// The impact, corrected; left out, it stays. `null` clears it, as for `channel`.
    #[oai(nullable)]
    #[serde(default)]
    pub impact: MaybeUndefined<Impact>,
    /// The contributing-factor slugs from `GET /v1/factors`, at most 8, in place of the
    /// report's; left out, they stay, and an empty list removes them all.
    #[oai(nullable, validator(max_items = 8))]
    pub factors: Option<Vec<String>>,
    /// Also offer this version to the reporter for approval through the receipt.
    #[oai(default)]
    #[serde(default)]
    pub offer_to_reporter: bool,
}

/// What a draft request asks the service for: the texts, the classification if any part of
/// it was sent, and whether to offer the version to the reporter.
pub struct DraftParts {
    pub edit: DraftEdit,
    pub classification: Option<Classification>,
    pub offer: bool,
}

impl From<DraftRequest> for DraftParts {
    fn from(request: DraftRequest) -> Self {
        // The service reads a classification as the page's form sends it: slugs, with an
        // empty one for "none".
        fn slug<T: Vocabulary>(value: MaybeUndefined<T>) -> Option<String> {
            match value {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(String::new()),
                MaybeUndefined::Value(value) => Some(value.slug().to_owned()),
            }
        }
        let classification = Classification {
            channel: slug(request.channel),
            impact: slug(request.impact),
            factors: request.factors,
        };
        let sent = classification.channel.is_some()
            || classification.impact.is_some()
            || classification.factors.is_some();
        Self {
            edit: DraftEdit {
                title: request.title,
                narrative: request.narrative,
                what_helped: request.what_helped,
                lesson: request.lesson,
                tags: request.tags,
            },
            classification: sent.then_some(classification),
            offer: request.offer_to_reporter,
        }
    }
}

#[derive(Debug, Object, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedactionRequest {
    /// `title`, `narrative`, `what_helped` or `lesson`.
    #[oai(validator(pattern = r"^(title|narrative|what_helped|lesson)$"))]
    pub field: String,
    pub id: String,
    /// `accept` (redact) or `dismiss` (keep the text, stop suggesting it).
    pub decision: RedactionDecision,
}

#[derive(Debug, Object, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionRequest {
    /// Read by the reporter with their receipt: at most 5,000 characters, not blank.
    #[oai(validator(
        max_length = 5000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*[^\x00-\x20\x7F-\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    ))]
    pub question: String,
}

#[derive(Debug, Object, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RejectRequest {
    /// Read by the reporter with their receipt: at most 5,000 characters, not blank.
    #[oai(validator(
        max_length = 5000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*[^\x00-\x20\x7F-\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    ))]
    pub reason: String,
}

#[derive(Debug, Object, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MergeRequest {
    /// The ref of the published lesson this report is another occurrence of.
    pub target: String,
}
