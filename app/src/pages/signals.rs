//! Marking a published lesson: "this happened to us too" and "this helped me".

use poem::{
    Body, handler,
    http::StatusCode,
    web::{Data, Path},
};
use serde::Deserialize;

use super::{PageResult, Posted, read_form_as_sent, reports::lesson_page};
use crate::{
    auth::access::SignedIn,
    codes::ReportRef,
    error::AppError,
    services::signals::{self, SignalKind},
    state::AppState,
};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SignalForm {
    kind: String,
    unit: String,
}

#[handler]
pub async fn mark(
    Data(state): Data<&AppState>,
    SignedIn(account): SignedIn,
    Path(report_ref): Path<String>,
    body: Body,
) -> PageResult {
    let report_ref: ReportRef = report_ref.parse()?;
    let Posted { form, readable } = read_form_as_sent::<SignalForm>(body).await?;
    let kind = SignalKind::from_slug(&form.kind)
        .ok_or_else(|| AppError::invalid("kind", "is happened_to_us or helped"))?;
    let marked = async {
        readable?;
        let (db, key) = (&state.db, &state.signal_key);
        signals::mark(db, key, &account, &report_ref, kind, Some(&form.unit)).await
    };
    match marked.await {
        Ok(new) => {
            let notice = match (kind, new) {
                (_, false) => "You had already said so: each person counts once.",
                (SignalKind::HappenedToUs, true) => {
                    "Thank you: counted as another occurrence. Recurring lessons become guideline suggestions."
                }
                (SignalKind::Helped, true) => {
                    "Thank you: it helps others find the lessons that matter."
                }
            };
            lesson_page(state, &report_ref, Some(notice.to_owned()), StatusCode::OK).await
        }
        Err(AppError::Invalid(errors)) => {
            let notice = errors
                .into_iter()
                .map(|e| e.reason)
                .collect::<Vec<_>>()
                .join("; ");
            lesson_page(
                state,
                &report_ref,
                Some(notice),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(error) => Err(error),
    }
}
