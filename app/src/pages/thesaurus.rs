//! The admin's thesaurus pages: the groups of words searches treat as one, and their edits.

use poem::{
    Body, handler,
    http::StatusCode,
    web::{Data, Path},
};
use serde::{Deserialize, Serialize};

use super::{
    PageResult, Posted,
    account::see_other,
    fields::{self, SummaryItem},
    read_form, read_form_as_sent, render,
};
use crate::{
    auth::access::SignedIn,
    error::AppError,
    services::thesaurus::{self, GroupEdit, MAX_GROUPS, MAX_TERM_CHARS, ThesaurusView},
    state::AppState,
};

#[derive(Serialize)]
struct GroupRow {
    number: usize,
    words: String,
}

#[derive(Serialize, Default)]
struct ListPage {
    groups: Vec<GroupRow>,
    version: i64,
    edited: bool,
    defaults_from: String,
    max_groups: usize,
    /// The add form's text, kept when it comes back with an error.
    words: String,
    errors: Vec<SummaryItem>,
    error: Option<String>,
}

#[derive(Serialize, Default)]
struct GroupPage {
    number: usize,
    version: i64,
    words: String,
    max_term_chars: usize,
    errors: Vec<SummaryItem>,
    error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct GroupForm {
    version: i64,
    words: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct VersionForm {
    version: i64,
}

fn list_page(view: ThesaurusView) -> ListPage {
    ListPage {
        groups: view
            .groups
            .iter()
            .enumerate()
            .map(|(n, words)| GroupRow {
                number: n + 1,
                words: words.join(", "),
            })
            .collect(),
        version: view.version,
        edited: view.edited,
        defaults_from: view.defaults_from,
        max_groups: MAX_GROUPS,
        ..ListPage::default()
    }
}

/// A group's number on the page (from 1) as an index; anything else names no group.
fn group_index(number: &str) -> Result<usize, AppError> {
    match number.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n - 1),
        _ => Err(AppError::NotFound("thesaurus group")),
    }
}

/// The errors an edit's form shows beside the text it keeps: field errors, or the news that
/// someone else changed the thesaurus meanwhile. Anything else is the error page's.
fn shown(error: AppError) -> Result<(Vec<SummaryItem>, Option<String>, StatusCode), AppError> {
    match error {
        AppError::Invalid(errors) => Ok((
            fields::summary(&errors),
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        AppError::Conflict(message) => Ok((Vec::new(), Some(message), StatusCode::CONFLICT)),
        other => Err(other),
    }
}

#[handler]
pub async fn list(Data(state): Data<&AppState>) -> PageResult {
    let view = thesaurus::current(&state.db, &state.thesaurus).await?;
    render(
        state,
        "pages/admin/thesaurus",
        &list_page(view),
        StatusCode::OK,
    )
}

#[handler]
pub async fn add_group(
    Data(state): Data<&AppState>,
    SignedIn(actor): SignedIn,
    body: Body,
) -> PageResult {
    let Posted { form, readable } = read_form_as_sent::<GroupForm>(body).await?;
    let added = async {
        readable?;
        let (db, index, keeper) = (&state.db, &state.index, &state.thesaurus);
        thesaurus::edit_group(
            db,
            index,
            keeper,
            &actor,
            form.version,
            GroupEdit::Add,
            &form.words,
        )
        .await
    };
    match added.await {
        Ok(view) => Ok(see_other(&format!(
            "/admin/thesaurus#group-{}",
            view.groups.len()
        ))),
        Err(error) => {
            let (errors, error, status) = shown(error)?;
            let view = thesaurus::current(&state.db, &state.thesaurus).await?;
            let page = ListPage {
                words: form.words,
                errors,
                error,
                ..list_page(view)
            };
            render(state, "pages/admin/thesaurus", &page, status)
        }
    }
}

#[handler]
pub async fn group(Data(state): Data<&AppState>, Path(number): Path<String>) -> PageResult {
    let at = group_index(&number)?;
    let view = thesaurus::current(&state.db, &state.thesaurus).await?;
    let words = view
        .groups
        .get(at)
        .ok_or(AppError::NotFound("thesaurus group"))?
        .join("\n");
    let page = GroupPage {
        number: at + 1,
        version: view.version,
        words,
        max_term_chars: MAX_TERM_CHARS,
        ..GroupPage::default()
    };
    render(state, "pages/admin/thesaurus_group", &page, StatusCode::OK)
}

#[handler]
pub async fn save_group(
    Data(state): Data<&AppState>,
    SignedIn(actor): SignedIn,
    Path(number): Path<String>,
    body: Body,
) -> PageResult {
    let at = group_index(&number)?;
    let Posted { form, readable } = read_form_as_sent::<GroupForm>(body).await?;
    let saved = async {
        readable?;
        let (db, index, keeper) = (&state.db, &state.index, &state.thesaurus);
        let edit = GroupEdit::Replace(at);
        thesaurus::edit_group(db, index, keeper, &actor, form.version, edit, &form.words).await
    };
    match saved.await {
        Ok(_) => Ok(see_other(&format!("/admin/thesaurus#group-{}", at + 1))),
        Err(error) => {
            let (errors, error, status) = shown(error)?;
            let view = thesaurus::current(&state.db, &state.thesaurus).await?;
            let page = GroupPage {
                number: at + 1,
                version: view.version,
                words: form.words,
                max_term_chars: MAX_TERM_CHARS,
                errors,
                error,
            };
            render(state, "pages/admin/thesaurus_group", &page, status)
        }
    }
}

#[handler]
pub async fn remove_group(
    Data(state): Data<&AppState>,
    SignedIn(actor): SignedIn,
    Path(number): Path<String>,
    body: Body,
) -> PageResult {
    let at = group_index(&number)?;
    let form: VersionForm = read_form(body).await?;
    let (db, index, keeper) = (&state.db, &state.index, &state.thesaurus);
    let edit = GroupEdit::Remove(at);
    thesaurus::edit_group(db, index, keeper, &actor, form.version, edit, "").await?;
    Ok(see_other("/admin/thesaurus"))
}

#[handler]
pub async fn reset(
    Data(state): Data<&AppState>,
    SignedIn(actor): SignedIn,
    body: Body,
) -> PageResult {
    let form: VersionForm = read_form(body).await?;
    thesaurus::reset(
        &state.db,
        &state.index,
        &state.thesaurus,
        &actor,
        form.version,
    )
    .await?;
    Ok(see_other("/admin/thesaurus"))
}
