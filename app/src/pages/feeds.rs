//! Atom feeds of new lessons and guideline changes, under the reading rule: open reading
//! needs nothing, signed-in reading needs a session or the reader's personal feed token.

use poem::{
    IntoResponse, Request, Response, handler,
    http::{StatusCode, header},
    web::{Data, Query},
};
use serde::{Deserialize, Serialize};

use super::PageResult;
use crate::{
    auth::Viewer,
    config::ReadAccess,
    error::AppError,
    services::feeds::{self, LessonFilter, SiteUrl, tokens},
    state::AppState,
};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FeedQuery {
    channel: Option<String>,
    factor: Option<String>,
    unit: Option<String>,
    pattern: Option<String>,
    token: Option<String>,
}

/// A feed offered on a page, for `<link rel="alternate">`.
#[derive(Clone, Debug, Serialize)]
pub struct FeedLink {
    pub title: String,
    pub href: String,
}

/// The lesson feeds a search page offers: all lessons, and the one channel, factor or unit
/// it is narrowed to.
pub fn search_links(channels: &[String], factors: &[String], unit: &str) -> Vec<FeedLink> {
    let mut links = vec![FeedLink {
        title: "New lessons".to_owned(),
        href: "/feeds/lessons.atom".to_owned(),
    }];
    let mut one = |name: &str, value: &str| {
        let query = serde_html_form::to_string([(name, value)]).unwrap_or_default();
        links.push(FeedLink {
            title: format!("New lessons with this {name}"),
            href: format!("/feeds/lessons.atom?{query}"),
        });
    };
    if let [channel] = channels {
        one("channel", channel);
    }
    if let [factor] = factors {
        one("factor", factor);
    }
    if !unit.trim().is_empty() {
        one("unit", unit.trim());
    }
    links
}

/// The guideline page's feed.
pub fn guideline_links() -> Vec<FeedLink> {
    vec![FeedLink {
        title: "Guideline changes".to_owned(),
        href: "/feeds/guidelines.atom".to_owned(),
    }]
}

/// Whether the request may read: reading is open, a session is signed in, or the query
/// carries a current feed token.
async fn may_read(state: &AppState, req: &Request, token: Option<&str>) -> Result<(), AppError> {
    if state.config.access.read_access == ReadAccess::Open {
        return Ok(());
    }
    if let Some(token) = token.filter(|t| !t.is_empty()) {
        return match tokens::authenticate(&state.db, token).await? {
            Some(_) => Ok(()),
            None => Err(AppError::Unauthenticated),
        };
    }
    let signed_in = req
        .extensions()
        .get::<Viewer>()
        .is_some_and(|viewer| viewer.session.is_some() && !viewer.awaits_own_password());
    if signed_in {
        Ok(())
    } else {
        Err(AppError::Unauthenticated)
    }
}

/// Where the feed's links point: the configured public address, or this request's host.
pub(super) fn site(state: &AppState, req: &Request) -> SiteUrl {
    if let Some(url) = &state.config.digests.public_url {
        return SiteUrl(url.clone());
    }
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_graphic()))
        .map_or_else(|| state.config.http.bind.to_string(), str::to_owned);
    SiteUrl(format!("http://{host}"))
}

fn atom(xml: String, personal: bool) -> Response {
    // A feed opened with a token is that reader's: no shared cache keeps it.
    let cache = if personal {
        "private, no-cache"
    } else {
        "no-cache"
    };
    xml.with_content_type("application/atom+xml; charset=utf-8")
        .with_header(header::CACHE_CONTROL, cache)
        .with_status(StatusCode::OK)
        .into_response()
}

#[handler]
pub async fn lessons_feed(
    Data(state): Data<&AppState>,
    req: &Request,
    Query(query): Query<FeedQuery>,
) -> PageResult {
    may_read(state, req, query.token.as_deref()).await?;
    let filter = LessonFilter::from_query(
        query.channel.as_deref(),
        query.factor.as_deref(),
        query.unit.as_deref(),
        query.pattern.as_deref(),
    )?;
    let xml = feeds::lessons(&state.db, &filter, &site(state, req)).await?;
    Ok(atom(xml, query.token.is_some()))
}

#[handler]
pub async fn guidelines_feed(
    Data(state): Data<&AppState>,
    req: &Request,
    Query(query): Query<FeedQuery>,
) -> PageResult {
    may_read(state, req, query.token.as_deref()).await?;
    let xml = feeds::guideline_changes(&state.db, &site(state, req)).await?;
    Ok(atom(xml, query.token.is_some()))
}
