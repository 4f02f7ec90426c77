//! Any two revisions of a guideline compared, chosen on the page itself.

use poem::{
    handler,
    http::StatusCode,
    web::{Data, Path, Query},
};
use serde::{Deserialize, Serialize};

use super::view::DiffView;
use crate::{
    error::FieldError,
    pages::{
        PageResult,
        fields::{self, SummaryItem},
        render,
    },
    services::guidelines,
    state::AppState,
};

/// The two revisions asked for, as typed: a bad one comes back named beside its field.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CompareQuery {
    from: Option<String>,
    to: Option<String>,
}

#[derive(Serialize)]
struct Choice {
    number: i32,
    label: String,
}

#[derive(Serialize)]
struct ComparePage {
    page_title: String,
    slug: String,
    title: String,
    choices: Vec<Choice>,
    from: i32,
    to: i32,
    errors: Vec<SummaryItem>,
    from_error: Option<String>,
    to_error: Option<String>,
    compared: bool,
    diff: Option<DiffView>,
}

/// A revision number given in `field`, which must be one of the guideline's `1..=latest`.
fn chosen(field: &str, text: Option<&str>, default: i32, latest: i32) -> Result<i32, FieldError> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(default);
    };
    match text.parse::<i32>() {
        Ok(n) if (1..=latest).contains(&n) => Ok(n),
        _ => Err(FieldError::new(
            field,
            format!(
                "Choose a revision from 1 to {latest}: '{}' is not one of this guideline's.",
                text.chars().take(20).collect::<String>()
            ),
        )),
    }
}

#[handler]
pub async fn compare(
    Data(state): Data<&AppState>,
    Path(slug): Path<String>,
    Query(query): Query<CompareQuery>,
) -> PageResult {
    let revisions = guidelines::revisions(&state.db, &slug).await?;
    let latest = revisions.first().map_or(1, |r| r.number);
    let title = guidelines::get(&state.db, &slug).await?.title;
    let from = chosen("from", query.from.as_deref(), (latest - 1).max(1), latest);
    let to = chosen("to", query.to.as_deref(), latest, latest);
    let errors: Vec<FieldError> = [&from, &to]
        .into_iter()
        .filter_map(|r| r.as_ref().err().cloned())
        .collect();
    let (from_number, to_number) = (
        from.as_ref().copied().unwrap_or(1),
        to.as_ref().copied().unwrap_or(latest),
    );
    let diff = match (&from, &to) {
        (Ok(from), Ok(to)) => Some(
            guidelines::compare_revisions(&state.db, &slug, *from, *to)
                .await?
                .diff,
        ),
        _ => None,
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = ComparePage {
        page_title: format!("Compare revisions of {title}"),
        choices: revisions
            .iter()
            .map(|r| Choice {
                number: r.number,
                label: format!(
                    "Revision {} (effective {})",
                    r.number,
                    super::view::day(r.effective_from)
                ),
            })
            .collect(),
        from: from_number,
        to: to_number,
        errors: fields::summary(&errors),
        from_error: from.err().map(|e| fields::for_a_person(&e)),
        to_error: to.err().map(|e| fields::for_a_person(&e)),
        compared: diff.is_some(),
        diff: diff.as_ref().map(DiffView::from),
        slug,
        title,
    };
    render(state, "pages/guidelines/diff", &page, status)
}
