//! The three decisions on a suggestion, posted from its page: accepting leads to the new
//! guideline revision, rejecting and deferring back to the inbox; a refused form comes back
//! as it was sent.

use poem::{
    Body, handler,
    web::{Data, Path},
};

use super::{
    detail::page,
    forms::{AcceptForm, DeferForm, Kept, RejectForm},
};
use crate::{
    auth::access::SignedIn,
    error::AppError,
    pages::{PageResult, Posted, account::see_other, read_form_as_sent},
    services::suggestions::{self, Acceptance, SuggestionView},
    state::AppState,
};

/// A decision's result: where it leads, or the page again with the form as sent.
async fn answer(
    state: &AppState,
    id: i32,
    kept: Kept,
    decided: Result<SuggestionView, AppError>,
    leads_to: impl FnOnce(&SuggestionView) -> String,
) -> PageResult {
    match decided {
        Ok(view) => Ok(see_other(&leads_to(&view))),
        Err(error @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            page(state, id, kept, Some(error)).await
        }
        Err(error) => Err(error),
    }
}

#[handler]
pub async fn accept(
    Data(state): Data<&AppState>,
    SignedIn(actor): SignedIn,
    Path(id): Path<i32>,
    body: Body,
) -> PageResult {
    let Posted { form, readable } = read_form_as_sent::<AcceptForm>(body).await?;
    let accepted = async {
        readable?;
        let acceptance = Acceptance {
            heading: Some(form.heading.clone()),
            text: form.text.clone(),
            rationale: form.rationale.clone(),
            effective_from: Some(form.effective_from.clone()),
        };
        suggestions::accept(&state.db, &actor, id, &acceptance).await
    };
    let accepted = accepted.await;
    answer(state, id, Kept::Accept(form), accepted, |view| {
        match view.decided.as_ref().and_then(|d| d.revision) {
            Some(revision) => format!("/guidelines/{}/revisions/{revision}", view.guideline),
            None => format!("/suggestions/{id}"),
        }
    })
    .await
}

#[handler]
pub async fn reject(
    Data(state): Data<&AppState>,
    SignedIn(actor): SignedIn,
    Path(id): Path<i32>,
    body: Body,
) -> PageResult {
    let Posted { form, readable } = read_form_as_sent::<RejectForm>(body).await?;
    let rejected = async {
        readable?;
        suggestions::reject(&state.db, &actor, id, &form.rationale).await
    };
    let rejected = rejected.await;
    answer(state, id, Kept::Reject(form), rejected, |_| {
        format!("/suggestions?rejected={id}")
    })
    .await
}

#[handler]
pub async fn defer(
    Data(state): Data<&AppState>,
    SignedIn(actor): SignedIn,
    Path(id): Path<i32>,
    body: Body,
) -> PageResult {
    let Posted { form, readable } = read_form_as_sent::<DeferForm>(body).await?;
    let deferred = async {
        readable?;
        suggestions::defer(&state.db, &actor, id, &form.until).await
    };
    let deferred = deferred.await;
    answer(state, id, Kept::Defer(form), deferred, |_| {
        format!("/suggestions?deferred={id}")
    })
    .await
}
