//! Marking a published lesson: "this happened to us too" and "this helped me".

use poem::{
    Body, Response, handler,
    http::StatusCode,
    web::{Data, Path},
};
use serde::Deserialize;

use super::{Posted, error_page, read_form_as_sent, reports::lesson_page};
use crate::{
    auth,
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
    Path(report_ref): Path<String>,
    body: Body,
) -> Response {
    let Some(account) = auth::current().account().cloned() else {
        return error_page(state, &AppError::Unauthenticated);
    };
    let Posted { form, readable } = match read_form_as_sent::<SignalForm>(body).await {
        Ok(posted) => posted,
        Err(error) => return error_page(state, &error),
    };
    let Some(kind) = SignalKind::from_slug(&form.kind) else {
        return error_page(
            state,
            &AppError::invalid("kind", "is happened_to_us or helped"),
        );
    };
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
        Err(error) => error_page(state, &error),
    }
}
