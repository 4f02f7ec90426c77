//! Pages for logging a mistake and reading a shared lesson.

use poem::{
    Body, IntoResponse, Response, handler,
    http::{StatusCode, header},
    web::{Data, Path},
};
use serde::Serialize;

use super::{
    error_page, paragraphs, read_form, render,
    report_form::{ReportForm, ReportFormPage, SimilarItem},
};
use crate::{
    error::{AppError, FieldError},
    services::{
        reports::{self, Created, ReportView},
        search, taxonomy, units,
    },
    state::AppState,
    today,
};

#[handler]
pub async fn new_report(Data(state): Data<&AppState>) -> Response {
    form_page(state, ReportForm::default(), &[], StatusCode::OK).await
}

#[handler]
pub async fn submit_report(Data(state): Data<&AppState>, body: Body) -> Response {
    let form: ReportForm = match read_form(body).await {
        Ok(form) => form,
        Err(error) => return error_page(state, &error),
    };
    if form.action == "similar" {
        return similar_page(state, form).await;
    }
    match reports::create(&state.db, &state.receipts, form.clone().into()).await {
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
        Err(error) => error_page(state, &error),
    }
}

/// The form again, as typed, with the past lessons most like it: nothing is sent.
async fn similar_page(state: &AppState, form: ReportForm) -> Response {
    let similar =
        match search::similar_to_draft(&state.db, &state.index, &form.title, &form.narrative, 5)
            .await
        {
            Ok(hits) => hits.into_iter().map(SimilarItem::from).collect(),
            Err(error) => return error_page(state, &error),
        };
    form_page_with(state, form, &[], StatusCode::OK, Some(similar)).await
}

async fn form_page(
    state: &AppState,
    values: ReportForm,
    errors: &[FieldError],
    status: StatusCode,
) -> Response {
    form_page_with(state, values, errors, status, None).await
}

async fn form_page_with(
    state: &AppState,
    values: ReportForm,
    errors: &[FieldError],
    status: StatusCode,
    similar: Option<Vec<SimilarItem>>,
) -> Response {
    let choices = async {
        Ok::<_, AppError>((
            taxonomy::categories(&state.db).await?,
            units::list(&state.db).await?,
        ))
    };
    match choices.await {
        Ok((categories, units)) => {
            let max_month = crate::month_of(today());
            let mut page = ReportFormPage::new(values, errors, categories, units, max_month);
            if let Some(similar) = similar {
                page = page.with_similar(similar);
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
    report: LessonView,
    similar: Vec<SimilarItem>,
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
    let report = match reports::get_published(&state.db, &report_ref).await {
        Ok(report) => report,
        Err(error) => return error_page(state, &error),
    };
    // Similar lessons are a help, not the page: if the index fails, the lesson still shows.
    let similar = search::similar(&state.db, &state.index, &report_ref, 5)
        .await
        .unwrap_or_else(|error| {
            tracing::warn!(%error, "similar reports unavailable");
            Vec::new()
        });
    let page = ReportPage {
        report: report.into(),
        similar: similar.into_iter().map(SimilarItem::from).collect(),
    };
    render(state, "pages/reports/show", &page, StatusCode::OK)
}
