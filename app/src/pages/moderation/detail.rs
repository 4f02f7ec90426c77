//! One report as the moderation page shows it: the moderator's form values kept across an
//! error, and the view built from the service's [`ModerationView`].

use serde::{Deserialize, Serialize};

use super::choices::{Chosen, Classification};
use crate::{
    pages::{fields::SummaryItem, paragraphs},
    services::{
        moderation::{
            Draft, FieldHint, FieldRedaction, ModerationView, RedactionDecision, Workspace,
        },
        reports::{MessageView, typed_tags},
        search::SearchHit,
    },
    today,
    vocabulary::{Audience, Channel, Impact, Status},
};

/// What the moderator typed, kept when a form comes back with an error.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub(super) struct ModerationForm {
    pub(super) title: String,
    pub(super) narrative: String,
    pub(super) what_helped: String,
    pub(super) lesson: String,
    /// Separated by spaces.
    pub(super) tags: String,
    pub(super) channel: String,
    pub(super) impact: String,
    pub(super) factors: Vec<String>,
    /// `yes` when the form holds the channel, impact and factors: unticked boxes send nothing.
    pub(super) classified: String,
    /// `save` or `offer` for the draft form.
    pub(super) action: String,
    pub(super) field: String,
    pub(super) id: String,
    /// For a suggested redaction; any other value than `accept` or `dismiss` is refused
    /// with the whole form, as the API refuses it.
    pub(super) decision: Option<RedactionDecision>,
    pub(super) question: String,
    pub(super) reason: String,
    pub(super) target: String,
}

#[derive(Default)]
pub(super) struct Outcome {
    pub(super) errors: Vec<SummaryItem>,
    pub(super) notice: Option<String>,
    /// Why an action was refused, in words for the moderator.
    pub(super) refusal: Option<String>,
    pub(super) kept: Option<ModerationForm>,
}

#[derive(Serialize)]
struct Suggestion {
    field: &'static str,
    field_label: &'static str,
    id: String,
    kind: &'static str,
    original: String,
    replacement: String,
}

#[derive(Serialize)]
struct HintRow {
    field_label: &'static str,
    excerpt: String,
    explanation: String,
    reframing: String,
}

#[derive(Serialize)]
struct Message {
    who: &'static str,
    kind: &'static str,
    created_on: String,
    paragraphs: Vec<String>,
}

/// A published lesson this report may be another occurrence of.
#[derive(Serialize)]
struct MergeCandidate {
    report_ref: String,
    title: String,
    about: String,
}

impl From<SearchHit> for MergeCandidate {
    fn from(hit: SearchHit) -> Self {
        let about = [
            hit.channel.map(Channel::label),
            hit.impact.map(Impact::label),
            Some(hit.month.as_str()),
        ];
        Self {
            about: about.into_iter().flatten().collect::<Vec<_>>().join(" · "),
            report_ref: hit.report_ref,
            title: hit.title,
        }
    }
}

#[derive(Serialize)]
struct RawText {
    title: String,
    narrative: Vec<String>,
    what_helped: Vec<String>,
    lesson: Vec<String>,
}

#[derive(Serialize)]
pub(super) struct DetailPage {
    report_ref: String,
    status: &'static str,
    submitted_on: String,
    facts: Vec<(&'static str, String)>,
    raw: Option<RawText>,
    draft: Draft,
    draft_saved: bool,
    classification: Classification,
    review: &'static str,
    has_reporter: bool,
    suggestions: Vec<Suggestion>,
    hints: Vec<HintRow>,
    messages: Vec<Message>,
    publish_blocker: Option<String>,
    open: bool,
    similar: Vec<MergeCandidate>,
    errors: Vec<SummaryItem>,
    notice: Option<String>,
    refusal: Option<String>,
    question: String,
    reason: String,
    target: String,
}

pub(super) fn detail_page(workspace: Workspace, outcome: Outcome) -> DetailPage {
    let Workspace {
        view,
        categories,
        similar,
    } = workspace;
    let kept = outcome.kept.unwrap_or_default();
    // Only the draft form's own values come back in it; another form's error keeps the saved.
    let draft_kept = matches!(kept.action.as_str(), "save" | "offer");
    let chosen = if draft_kept {
        Chosen {
            channel: &kept.channel,
            impact: &kept.impact,
            factors: &kept.factors,
        }
    } else {
        Chosen {
            channel: view.channel.as_deref().unwrap_or_default(),
            impact: view.impact.as_deref().unwrap_or_default(),
            factors: &view.factor_slugs,
        }
    };
    let classification = Classification::new(&chosen, categories, !view.has_reporter);
    let draft = if draft_kept {
        kept.draft()
    } else {
        Draft {
            tags: typed_tags(&view.draft.tags),
            ..view.draft.clone()
        }
    };
    DetailPage {
        publish_blocker: view.publish_blocker(today()),
        open: matches!(view.status, Status::Submitted | Status::NeedsInfo),
        similar: similar.into_iter().map(MergeCandidate::from).collect(),
        facts: facts(&view),
        report_ref: view.report_ref,
        status: view.status.label(),
        submitted_on: view.submitted_on.to_string(),
        raw: view.raw.map(RawText::from),
        draft,
        draft_saved: view.draft_saved,
        classification,
        review: view.reporter_review.label(),
        has_reporter: view.has_reporter,
        suggestions: view.redactions.into_iter().map(Suggestion::from).collect(),
        hints: view.hints.into_iter().map(HintRow::from).collect(),
        messages: view.conversation.into_iter().map(Message::from).collect(),
        errors: outcome.errors,
        notice: outcome.notice,
        refusal: outcome.refusal,
        question: kept.question,
        reason: kept.reason,
        target: kept.target,
    }
}

impl ModerationForm {
    /// The draft as the moderator typed it.
    fn draft(&self) -> Draft {
        Draft {
            title: self.title.clone(),
            narrative: self.narrative.clone(),
            what_helped: self.what_helped.clone(),
            lesson: self.lesson.clone(),
            tags: self.tags.clone(),
        }
    }
}

/// What is known about the report besides its texts, each with its label; absent facts are
/// left out.
fn facts(view: &ModerationView) -> Vec<(&'static str, String)> {
    let label = |slug: &Option<String>, of: fn(&str) -> Option<&'static str>| {
        slug.as_deref().map(|s| of(s).unwrap_or(s).to_owned())
    };
    [
        (
            "Channel",
            label(&view.channel, |s| Channel::from_slug(s).map(Channel::label)),
        ),
        (
            "Audience",
            label(&view.audience, |s| {
                Audience::from_slug(s).map(Audience::label)
            }),
        ),
        (
            "Impact",
            label(&view.impact, |s| Impact::from_slug(s).map(Impact::label)),
        ),
        ("Unit", view.unit.clone()),
        ("Month it happened", view.occurred_month.clone()),
        ("Contributing factors", Some(view.factors.join(", "))),
        ("Tags", Some(view.tags.join(", "))),
        ("Merged into", view.merged_into.clone()),
    ]
    .into_iter()
    .filter_map(|(label, value)| Some((label, value.filter(|v| !v.is_empty())?)))
    .collect()
}

impl From<Draft> for RawText {
    fn from(raw: Draft) -> Self {
        Self {
            title: raw.title,
            narrative: paragraphs(&raw.narrative),
            what_helped: paragraphs(&raw.what_helped),
            lesson: paragraphs(&raw.lesson),
        }
    }
}

impl From<FieldRedaction> for Suggestion {
    fn from(s: FieldRedaction) -> Self {
        Self {
            field: s.field.slug(),
            field_label: s.field.label(),
            id: s.redaction.id,
            kind: s.redaction.kind.slug(),
            original: s.redaction.original,
            replacement: s.redaction.replacement,
        }
    }
}

impl From<FieldHint> for HintRow {
    fn from(h: FieldHint) -> Self {
        Self {
            field_label: h.field.label(),
            excerpt: h.hint.excerpt,
            explanation: h.hint.explanation,
            reframing: h.hint.reframing,
        }
    }
}

impl From<MessageView> for Message {
    fn from(m: MessageView) -> Self {
        Self {
            who: m.author.label(),
            kind: m.kind.label(),
            created_on: m.created_on.to_string(),
            paragraphs: paragraphs(&m.body),
        }
    }
}
