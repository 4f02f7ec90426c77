//! The admins' page of the templates that word drafted suggestions: each beside the shipped
//! one, saved only when it renders, and put back to the shipped one on request.

use poem::{
    Body, handler,
    http::StatusCode,
    web::{Data, Query},
};
use serde::{Deserialize, Serialize};

use crate::{
    auth::access::SignedIn,
    error::AppError,
    pages::{
        PageResult, Posted, account::see_other, fields::SummaryItem, read_form_as_sent, render,
    },
    services::suggestions::{SuggestionKind, templates},
    state::AppState,
};

const PAGE: &str = "/admin/suggestion-templates";

/// What each kind's template is for, in the page's words.
fn purpose(kind: SuggestionKind) -> &'static str {
    match kind {
        SuggestionKind::Reinforce => "Reinforcing a section that exists",
        SuggestionKind::Add => "Adding a new section",
    }
}

#[derive(Serialize)]
struct TemplateBox {
    kind: &'static str,
    heading: &'static str,
    text: String,
    shipped: &'static str,
    customised: bool,
    error: Option<String>,
}

#[derive(Serialize)]
struct TemplatesPage {
    templates: Vec<TemplateBox>,
    errors: Vec<SummaryItem>,
    notice: Option<String>,
    max_length: usize,
}

/// A template as posted: which one, and its text.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TemplateForm {
    kind: String,
    text: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TemplatesQuery {
    saved: String,
    reset: String,
}

impl TemplatesQuery {
    fn notice(&self) -> Option<String> {
        let (said, slug) = if self.saved.is_empty() {
            ("was put back to the shipped one", &self.reset)
        } else {
            ("was saved", &self.saved)
        };
        SuggestionKind::from_slug(slug).map(|kind| {
            format!(
                "The template for “{}” {said}. The next drafting run uses it.",
                purpose(kind).to_lowercase()
            )
        })
    }
}

/// The page, with the text of a refused template kept in its box and its error beside it.
async fn templates_page(
    state: &AppState,
    refused: Option<(SuggestionKind, String, AppError)>,
    notice: Option<String>,
) -> PageResult {
    let mut boxes = Vec::with_capacity(SuggestionKind::ALL.len());
    let mut errors = Vec::new();
    for kind in SuggestionKind::ALL.iter().copied() {
        let current = templates::current(&state.db, kind).await?;
        let mut shown = TemplateBox {
            kind: kind.slug(),
            heading: purpose(kind),
            text: current.text,
            shipped: templates::default_of(kind),
            customised: current.customised,
            error: None,
        };
        if let Some((_, text, AppError::Invalid(refusals))) =
            refused.as_ref().filter(|(k, _, _)| *k == kind)
        {
            shown.text.clone_from(text);
            let reason: Vec<String> = refusals
                .iter()
                .map(|e| format!("The template {}", e.reason))
                .collect();
            let reason = reason.join("; ");
            errors.push(SummaryItem {
                field: format!("{}-text", kind.slug()),
                text: reason.clone(),
            });
            shown.error = Some(reason);
        }
        boxes.push(shown);
    }
    let status = match &refused {
        Some((_, _, AppError::Invalid(_))) => StatusCode::UNPROCESSABLE_ENTITY,
        Some((_, _, other)) => other.status(),
        None => StatusCode::OK,
    };
    let page = TemplatesPage {
        templates: boxes,
        errors,
        notice,
        max_length: templates::MAX_TEMPLATE,
    };
    render(state, "pages/admin/suggestion_templates", &page, status)
}

#[handler]
pub async fn list(Data(state): Data<&AppState>, Query(query): Query<TemplatesQuery>) -> PageResult {
    templates_page(state, None, query.notice()).await
}

fn kind_of(form: &TemplateForm) -> Result<SuggestionKind, AppError> {
    SuggestionKind::from_slug(&form.kind)
        .ok_or_else(|| AppError::invalid("kind", "choose the reinforce or the add template"))
}

#[handler]
pub async fn save(
    Data(state): Data<&AppState>,
    SignedIn(actor): SignedIn,
    body: Body,
) -> PageResult {
    let Posted { form, readable } = read_form_as_sent::<TemplateForm>(body).await?;
    let kind = kind_of(&form)?;
    let saved = async {
        readable?;
        templates::save(&state.db, &actor, kind, &form.text).await
    };
    match saved.await {
        Ok(()) if form.text.trim().is_empty() => {
            Ok(see_other(&format!("{PAGE}?reset={}", kind.slug())))
        }
        Ok(()) => Ok(see_other(&format!("{PAGE}?saved={}", kind.slug()))),
        Err(error @ AppError::Invalid(_)) => {
            templates_page(state, Some((kind, form.text, error)), None).await
        }
        Err(error) => Err(error),
    }
}

/// Puts the shipped template back: the stored one is dropped.
#[handler]
pub async fn reset(
    Data(state): Data<&AppState>,
    SignedIn(actor): SignedIn,
    body: Body,
) -> PageResult {
    let Posted { form, readable } = read_form_as_sent::<TemplateForm>(body).await?;
    readable?;
    let kind = kind_of(&form)?;
    templates::save(&state.db, &actor, kind, "").await?;
    Ok(see_other(&format!("{PAGE}?reset={}", kind.slug())))
}
