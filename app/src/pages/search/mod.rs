//! The search page: query box, facet sidebar with counts, snippets, paging and sort.

mod facets;
mod form;
mod sections;
mod view;

use poem::{Request, handler, http::StatusCode, web::Data};

use super::{PageResult, render};
use crate::{
    error::AppError,
    pages::fields,
    services::{search, taxonomy},
    state::AppState,
};
use form::SearchForm;
use view::{Hidden, SearchPage, fill};

#[handler]
pub async fn search_page(Data(state): Data<&AppState>, req: &Request) -> PageResult {
    let form: SearchForm = serde_html_form::from_str(req.uri().query().unwrap_or(""))
        .map_err(|error| AppError::Malformed(format!("the search could not be read: {error}")))?;
    let mut page = SearchPage {
        heading: "Search the shared lessons",
        q: form.q.clone(),
        from: form.from.clone(),
        to: form.to.clone(),
        newest: form.sort == "newest",
        hidden: form
            .pairs()
            .into_iter()
            .map(|(name, value)| Hidden { name, value })
            .collect(),
        hidden_without_dates: form
            .pairs()
            .into_iter()
            .filter(|(name, _)| *name != "from" && *name != "to")
            .map(|(name, value)| Hidden { name, value })
            .collect(),
        feeds: crate::pages::feeds::search_links(&form.channel, &form.factor, &form.unit),
        ..SearchPage::default()
    };
    let (db, index, turns) = (&state.db, &state.index, &state.search_turns);
    match search::search(db, index, turns, &form.query()).await {
        Ok(outcome) => {
            let names = taxonomy::categories(&state.db).await?;
            fill(&mut page, &form, outcome, names);
            render(state, "pages/search/index", &page, StatusCode::OK)
        }
        Err(AppError::Invalid(errors)) => {
            page.errors = fields::summary(&errors);
            render(
                state,
                "pages/search/index",
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(error) => Err(error),
    }
}
