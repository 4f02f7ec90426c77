//! Pages for logging a mistake and reading a shared lesson.

use poem::{
    Body, IntoResponse, Request, handler,
    http::{StatusCode, header},
    web::{Data, Path},
};
use serde::Serialize;

pub(super) use super::lesson_view::LessonView;
use super::{
    PageResult, Posted,
    guidelines::{self, lessons::GuidancePanel},
    read_form_as_sent, render,
    report_form::{HintItem, ReportForm, ReportFormPage, SimilarItem},
};
use crate::{
    auth::{self, access::Access},
    codes::{self, ReportRef},
    error::{AppError, FieldError},
    services::{
        moderation::TextField,
        reports::{self, Created},
        search,
        signals::{self, SignalKind},
        taxonomy, units, wording,
    },
    state::AppState,
    today,
};

#[handler]
pub async fn new_report(Data(state): Data<&AppState>) -> PageResult {
    let blank = ReportForm {
        once: codes::new_form_token(),
        ..ReportForm::default()
    };
    form_page(state, blank, &[], StatusCode::OK).await
}

#[handler]
pub async fn submit_report(Data(state): Data<&AppState>, req: &Request, body: Body) -> PageResult {
    let Posted { form, readable } = read_form_as_sent::<ReportForm>(body).await?;
    if let Err(error) = readable {
        let errors = error.field_errors();
        return form_page(state, form, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    match form.action.as_str() {
        "similar" => return similar_page(state, form).await,
        "check" => return check_page(state, form).await,
        _ => {}
    }
    // The address is used only here, hashed with a salt that lives in memory for a day.
    let address = req.remote_addr().as_socket_addr().map(|a| a.ip());
    if let Err(AppError::TooManyAttempts { retry_after }) = state.submission_limits.admit(address) {
        let minutes = retry_after.div_ceil(60);
        let error = FieldError::new(
            "form",
            format!(
                "many reports were sent from this network in the last hour; please send yours again in {minutes} minutes — everything you wrote is still here"
            ),
        );
        return Ok(
            form_page(state, form, &[error], StatusCode::TOO_MANY_REQUESTS)
                .await?
                .with_header(header::RETRY_AFTER, retry_after.to_string())
                .into_response(),
        );
    }
    let created = state
        .sent_forms
        .send_once(&form.once, || {
            reports::create(&state.db, &state.receipts, form.clone().into())
        })
        .await;
    match created {
        Ok(created) => Ok(render(
            state,
            "pages/reports/created",
            &CreatedPage::from(created),
            StatusCode::OK,
        )?
        // The receipt is on this page and must not linger in any cache.
        .with_header(header::CACHE_CONTROL, "no-store")
        .into_response()),
        Err(AppError::Invalid(errors)) => {
            form_page(state, form, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        // Whatever failed, the person's words come back with the form: nothing is lost.
        Err(error) => {
            tracing::error!(%error, "a report could not be stored");
            let error = FieldError::new(
                "form",
                "your report could not be saved just now; please send it again in a moment — everything you wrote is still here",
            );
            form_page(state, form, &[error], StatusCode::SERVICE_UNAVAILABLE).await
        }
    }
}

/// What the form shows besides the person's text.
enum Extra {
    Nothing,
    Similar(Vec<SimilarItem>),
    Hints(Vec<HintItem>),
}

/// The form again, as typed, with the past lessons most like it: nothing is sent.
async fn similar_page(state: &AppState, form: ReportForm) -> PageResult {
    if !may_read(state) {
        return form_page(state, form, &[], StatusCode::OK).await;
    }
    let (title, narrative) = (&form.title, &form.narrative);
    let (db, index, turns) = (&state.db, &state.index, &state.search_turns);
    let similar = search::similar_to_draft(db, index, turns, title, narrative, 5)
        .await?
        .into_iter()
        .map(SimilarItem::from)
        .collect();
    form_page_with(state, form, &[], StatusCode::OK, Extra::Similar(similar)).await
}

/// The form again, as typed, with hints on its wording: nothing is sent.
async fn check_page(state: &AppState, form: ReportForm) -> PageResult {
    match hints_for(state, &form).await {
        Ok(hints) => form_page_with(state, form, &[], StatusCode::OK, Extra::Hints(hints)).await,
        Err(AppError::Invalid(errors)) => {
            form_page(state, form, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(error) => Err(error),
    }
}

async fn form_page(
    state: &AppState,
    values: ReportForm,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    form_page_with(state, values, errors, status, Extra::Nothing).await
}

/// Whether the person may see past lessons: on the form as anywhere else.
pub(super) fn may_read(state: &AppState) -> bool {
    Access::Readers
        .check(&auth::current(), state.config.access.read_access)
        .is_ok()
}

/// Blameless-language hints on each text of the form, as the API gives them.
async fn hints_for(state: &AppState, form: &ReportForm) -> Result<Vec<HintItem>, AppError> {
    let texts = [
        (TextField::Title, &form.title),
        (TextField::Narrative, &form.narrative),
        (TextField::WhatHelped, &form.what_helped),
        (TextField::Lesson, &form.lesson),
    ]
    .map(|(field, text)| (field.slug(), text.as_str()));
    let hints = wording::hints(&state.db, &state.rules, &texts).await?;
    Ok(hints
        .into_iter()
        .map(|(field, hint)| HintItem {
            field,
            field_label: TextField::from_slug(field).map_or("", TextField::label),
            excerpt: hint.excerpt,
            explanation: hint.explanation,
            reframing: hint.reframing,
        })
        .collect())
}

async fn form_page_with(
    state: &AppState,
    values: ReportForm,
    errors: &[FieldError],
    status: StatusCode,
    extra: Extra,
) -> PageResult {
    let categories = taxonomy::categories(&state.db).await?;
    let units = units::list(&state.db).await?;
    let max_month = crate::month_of(today());
    let mut page = ReportFormPage::new(values, errors, categories, units, max_month);
    match extra {
        Extra::Similar(similar) => page = page.with_similar(similar),
        Extra::Hints(hints) => page = page.with_hints(hints),
        Extra::Nothing => {}
    }
    if !may_read(state) {
        page = page.with_similar_locked();
    }
    render(state, "pages/reports/new", &page, status)
}

#[derive(Serialize)]
struct CreatedPage {
    receipt: String,
    report_ref: String,
    status_label: &'static str,
    download_href: String,
}

impl From<Created> for CreatedPage {
    fn from(created: Created) -> Self {
        let receipt = created.receipt.display();
        let text = format!(
            "Kintsugi receipt\n\nReceipt code: {receipt}\nReport reference: {}\n\nKeep this somewhere only you can see. It cannot be recovered if lost.\n",
            created.report_ref
        );
        Self {
            download_href: format!("data:text/plain;charset=utf-8,{}", percent_encode(&text)),
            receipt,
            report_ref: created.report_ref,
            status_label: created.status.label(),
        }
    }
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[derive(Serialize)]
struct ReportPage {
    report_ref: String,
    report: LessonView,
    similar: Vec<SimilarItem>,
    occurrences: u64,
    helped: u64,
    /// Marking needs an account, so that each person counts once.
    can_mark: bool,
    /// What this reader has already said of the lesson.
    marked_happened: bool,
    marked_helped: bool,
    units: Vec<String>,
    notice: Option<String>,
    /// The guideline sections that apply to the lesson.
    guidance: GuidancePanel,
    /// The recurring pattern the lesson is part of: its id and how many teams it spans.
    pattern: Option<(i32, u32)>,
}

#[handler]
pub async fn show_report(
    Data(state): Data<&AppState>,
    Path(report_ref): Path<String>,
) -> PageResult {
    lesson_page(state, &report_ref.parse()?, None, StatusCode::OK).await
}

/// A published lesson with its similar lessons and its readers' signals.
pub async fn lesson_page(
    state: &AppState,
    report_ref: &ReportRef,
    notice: Option<String>,
    status: StatusCode,
) -> PageResult {
    let report = reports::get_published(&state.db, report_ref).await?;
    // Similar lessons are a help, not the page: if the index fails, the lesson still shows.
    let turns = &state.search_turns;
    let similar = search::similar(&state.db, &state.index, turns, report_ref, 5)
        .await
        .unwrap_or_else(|error| {
            tracing::warn!(%error, "similar reports unavailable");
            Vec::new()
        });
    let counts = signals::counts(&state.db, report_ref).await?;
    let account = auth::current().account().cloned();
    let marked = match &account {
        Some(account) => {
            signals::marked_by(&state.db, &state.signal_key, account, report_ref).await?
        }
        None => Vec::new(),
    };
    let units = units::list(&state.db)
        .await?
        .into_iter()
        .map(|u| u.path)
        .collect();
    let guidance = guidelines::lessons::panel(state, report_ref, account.as_ref()).await?;
    let pattern = crate::services::patterns::for_report(&state.db, report_ref.as_str()).await?;
    let page = ReportPage {
        report_ref: report.report_ref.clone(),
        report: report.into(),
        similar: similar.into_iter().map(SimilarItem::from).collect(),
        occurrences: counts.occurrences,
        helped: counts.helped,
        can_mark: account.is_some(),
        marked_happened: marked.contains(&SignalKind::HappenedToUs),
        marked_helped: marked.contains(&SignalKind::Helped),
        units,
        notice,
        guidance,
        pattern,
    };
    render(state, "pages/reports/show", &page, status)
}
