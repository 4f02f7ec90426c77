//! Pages for logging a mistake and reading a shared lesson.

use poem::{
    Body, IntoResponse, Request, Response, handler,
    http::{StatusCode, header},
    web::{Data, Path},
};
use serde::Serialize;

use super::{
    Posted, error_page, paragraphs, read_form_as_sent, render,
    report_form::{HintItem, ReportForm, ReportFormPage, SimilarItem},
};
use crate::{
    auth::{self, access::Access},
    codes,
    error::{AppError, FieldError},
    services::{
        reports::{self, Created, ReportView},
        search, signals, taxonomy, units,
    },
    state::AppState,
    text_checks::NotNames,
    today,
};

#[handler]
pub async fn new_report(Data(state): Data<&AppState>) -> Response {
    let blank = ReportForm {
        once: codes::new_form_token(),
        ..ReportForm::default()
    };
    form_page(state, blank, &[], StatusCode::OK).await
}

#[handler]
pub async fn submit_report(Data(state): Data<&AppState>, req: &Request, body: Body) -> Response {
    let Posted { form, readable } = match read_form_as_sent::<ReportForm>(body).await {
        Ok(posted) => posted,
        Err(error) => return error_page(state, &error),
    };
    if let Err(error) = readable {
        let errors = error.field_errors();
        return form_page(state, form, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    match form.action.as_str() {
        "similar" => return similar_page(state, form).await,
        "check" => return form_page_with(state, form, &[], StatusCode::OK, Extra::Hints).await,
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
        return form_page(state, form, &[error], StatusCode::TOO_MANY_REQUESTS)
            .await
            .with_header(header::RETRY_AFTER, retry_after.to_string())
            .into_response();
    }
    let created = state
        .sent_forms
        .send_once(&form.once, || {
            reports::create(&state.db, &state.receipts, form.clone().into())
        })
        .await;
    match created {
        Ok(created) => render(
            state,
            "pages/reports/created",
            &CreatedPage::from(created),
            StatusCode::OK,
        )
        // The receipt is on this page and must not linger in any cache.
        .with_header(header::CACHE_CONTROL, "no-store")
        .into_response(),
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
    Hints,
}

/// The form again, as typed, with the past lessons most like it: nothing is sent.
async fn similar_page(state: &AppState, form: ReportForm) -> Response {
    if !may_read(state) {
        return form_page(state, form, &[], StatusCode::OK).await;
    }
    let similar =
        match search::similar_to_draft(&state.db, &state.index, &form.title, &form.narrative, 5)
            .await
        {
            Ok(hits) => hits.into_iter().map(SimilarItem::from).collect(),
            Err(error) => return error_page(state, &error),
        };
    form_page_with(state, form, &[], StatusCode::OK, Extra::Similar(similar)).await
}

async fn form_page(
    state: &AppState,
    values: ReportForm,
    errors: &[FieldError],
    status: StatusCode,
) -> Response {
    form_page_with(state, values, errors, status, Extra::Nothing).await
}

/// Whether the person may see past lessons: on the form as anywhere else.
fn may_read(state: &AppState) -> bool {
    Access::Readers
        .check(&auth::current(), state.config.access.read_access)
        .is_ok()
}

/// Blameless-language hints on each text of the form.
/// `units` are the organisation's units, whose names are not people's names.
fn hints_for(state: &AppState, form: &ReportForm, units: &[units::Unit]) -> Vec<HintItem> {
    let not_names = NotNames::new(units.iter().map(|unit| unit.name.as_str()));
    [
        ("Title", &form.title),
        ("What happened", &form.narrative),
        ("What helped", &form.what_helped),
        ("What would help", &form.lesson),
    ]
    .into_iter()
    .flat_map(|(label, text)| {
        state
            .rules
            .hints_with(text, &not_names)
            .into_iter()
            .map(move |hint| HintItem {
                field_label: label,
                excerpt: hint.excerpt,
                explanation: hint.explanation,
                reframing: hint.reframing,
            })
    })
    .collect()
}

async fn form_page_with(
    state: &AppState,
    values: ReportForm,
    errors: &[FieldError],
    status: StatusCode,
    extra: Extra,
) -> Response {
    let choices = async {
        Ok::<_, AppError>((
            taxonomy::categories(&state.db).await?,
            units::list(&state.db).await?,
        ))
    };
    match choices.await {
        Ok((categories, units)) => {
            let hints = matches!(extra, Extra::Hints).then(|| hints_for(state, &values, &units));
            let max_month = crate::month_of(today());
            let mut page = ReportFormPage::new(values, errors, categories, units, max_month);
            match extra {
                Extra::Similar(similar) => page = page.with_similar(similar),
                Extra::Hints | Extra::Nothing => {}
            }
            if !may_read(state) {
                page = page.with_similar_locked();
            }
            if let Some(hints) = hints {
                page = page.with_hints(hints);
            }
            render(state, "pages/reports/new", &page, status)
        }
        Err(error) => error_page(state, &error),
    }
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
    units: Vec<String>,
    notice: Option<String>,
}

#[derive(Serialize)]
struct LessonView {
    title: String,
    narrative: Vec<String>,
    what_helped: Vec<String>,
    lesson: Vec<String>,
    channel: Option<&'static str>,
    audience: Option<&'static str>,
    impact: Option<&'static str>,
    unit: Option<String>,
    occurred_month: Option<String>,
    logged_month: String,
    factors: Vec<FactorItem>,
    tags: Vec<String>,
    source_url: Option<String>,
}

#[derive(Serialize)]
struct FactorItem {
    name: String,
    category: String,
}

impl From<ReportView> for LessonView {
    fn from(report: ReportView) -> Self {
        Self {
            title: report.title,
            narrative: paragraphs(&report.narrative),
            what_helped: paragraphs(&report.what_helped),
            lesson: paragraphs(&report.lesson),
            channel: report.channel.map(|c| c.label()),
            audience: report.audience.map(|a| a.label()),
            impact: report.impact.map(|i| i.label()),
            unit: report.unit,
            occurred_month: report.occurred_month,
            logged_month: report.logged_month,
            factors: report
                .factors
                .into_iter()
                .map(|f| FactorItem {
                    name: f.name,
                    category: f.category,
                })
                .collect(),
            tags: report.tags,
            source_url: report.source_url,
        }
    }
}

#[handler]
pub async fn show_report(Data(state): Data<&AppState>, Path(report_ref): Path<String>) -> Response {
    lesson_page(state, &report_ref, None, StatusCode::OK).await
}

/// A published lesson with its similar lessons and its readers' signals.
pub async fn lesson_page(
    state: &AppState,
    report_ref: &str,
    notice: Option<String>,
    status: StatusCode,
) -> Response {
    let report = match reports::get_published(&state.db, report_ref).await {
        Ok(report) => report,
        Err(error) => return error_page(state, &error),
    };
    // Similar lessons are a help, not the page: if the index fails, the lesson still shows.
    let similar = search::similar(&state.db, &state.index, report_ref, 5)
        .await
        .unwrap_or_else(|error| {
            tracing::warn!(%error, "similar reports unavailable");
            Vec::new()
        });
    let counts = match signals::counts(&state.db, report_ref).await {
        Ok(counts) => counts,
        Err(error) => return error_page(state, &error),
    };
    let units = match units::list(&state.db).await {
        Ok(units) => units.into_iter().map(|u| u.path).collect(),
        Err(error) => return error_page(state, &error),
    };
    let page = ReportPage {
        report_ref: report.report_ref.clone(),
        report: report.into(),
        similar: similar.into_iter().map(SimilarItem::from).collect(),
        occurrences: counts.occurrences,
        helped: counts.helped,
        can_mark: auth::current().account().is_some(),
        units,
        notice,
    };
    render(state, "pages/reports/show", &page, status)
}
