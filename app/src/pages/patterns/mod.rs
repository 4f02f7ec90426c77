//! Pages of recurring patterns: the list and one pattern for policy owners and moderators,
//! and the reader's view of a pattern that a lesson belongs to.

mod chart;
mod effect_view;

use poem::{
    Body, handler,
    http::StatusCode,
    web::{Data, Path, Query},
};
use serde::{Deserialize, Serialize};

use super::{PageResult, Posted, account::see_other, fields, read_form_as_sent, render};
use crate::{
    auth::access::SignedIn,
    error::AppError,
    services::{
        accounts::{Account, Role},
        effect,
        patterns::{
            self, Filters, MemberView, PatternDetail, PatternKind, PatternStatus, PatternSummary,
            StatusDecision,
        },
    },
    state::AppState,
    today,
};
pub use effect_view::EffectView;

#[derive(Serialize)]
struct Row {
    id: i32,
    title: String,
    explanation: String,
    status: &'static str,
    occurrences: u32,
    units: usize,
    first_seen: String,
    last_seen: String,
    trend: String,
}

impl From<PatternSummary> for Row {
    fn from(p: PatternSummary) -> Self {
        Self {
            id: p.id,
            title: p.title,
            explanation: p.explanation,
            status: p.status.label(),
            occurrences: p.occurrences,
            units: p.units.len(),
            first_seen: p.first_seen,
            last_seen: p.last_seen,
            trend: p.trend,
        }
    }
}

#[derive(Serialize)]
struct StatusChoice {
    value: &'static str,
    label: &'static str,
    selected: bool,
}

#[derive(Serialize)]
struct ListPage {
    across: Vec<Row>,
    local: Vec<Row>,
    statuses: Vec<StatusChoice>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    status: String,
}

#[handler]
pub async fn list_patterns(
    Data(state): Data<&AppState>,
    SignedIn(viewer): SignedIn,
    Query(query): Query<ListQuery>,
) -> PageResult {
    let status = PatternStatus::from_slug(&query.status);
    let filters = Filters {
        status,
        ..Filters::default()
    };
    let found = patterns::list(&state.db, &viewer, &filters).await?;
    let (local, across): (Vec<_>, Vec<_>) = found
        .into_iter()
        .partition(|p| p.kind == PatternKind::Local);
    let page = ListPage {
        across: across.into_iter().map(Row::from).collect(),
        local: local.into_iter().map(Row::from).collect(),
        statuses: PatternStatus::ALL
            .iter()
            .map(|s| StatusChoice {
                value: s.slug(),
                label: s.label(),
                selected: Some(*s) == status,
            })
            .collect(),
    };
    render(state, "pages/patterns/index", &page, StatusCode::OK)
}

/// A piece of a member's text, marked when it is one of the pattern's words.
#[derive(Serialize)]
struct Piece {
    text: String,
    mark: bool,
}

#[derive(Serialize)]
struct Member {
    report_ref: String,
    title: String,
    matched: Vec<String>,
    pieces: Vec<Piece>,
}

/// Splits `text` around the matching words, found whole and regardless of case.
fn marked(text: &str, words: &[String]) -> Vec<Piece> {
    let alternatives: Vec<String> = words
        .iter()
        .filter(|w| !w.is_empty())
        .map(|w| regex::escape(w).replace("\\ ", "\\s+").replace(' ', "\\s+"))
        .collect();
    let pattern = format!(r"(?i)\b(?:{})\b", alternatives.join("|"));
    let Ok(found) = regex::Regex::new(&pattern).map(|re| re.find_iter(text).collect::<Vec<_>>())
    else {
        return vec![Piece {
            text: text.to_owned(),
            mark: false,
        }];
    };
    let mut pieces = Vec::new();
    let mut at = 0;
    for m in found.into_iter().filter(|_| !alternatives.is_empty()) {
        if m.start() > at {
            pieces.push(Piece {
                text: text[at..m.start()].to_owned(),
                mark: false,
            });
        }
        pieces.push(Piece {
            text: m.as_str().to_owned(),
            mark: true,
        });
        at = m.end();
    }
    if at < text.len() {
        pieces.push(Piece {
            text: text[at..].to_owned(),
            mark: false,
        });
    }
    pieces
}

impl From<MemberView> for Member {
    fn from(m: MemberView) -> Self {
        Self {
            pieces: marked(&m.excerpt, &m.matched),
            report_ref: m.reference,
            title: m.title,
            matched: m.matched,
        }
    }
}

#[derive(Serialize)]
struct MonthRow {
    month: String,
    occurrences: u32,
}

#[derive(Serialize)]
struct DetailPage {
    pattern: PatternView,
    members: Vec<Member>,
    months: Vec<MonthRow>,
    chart_svg: String,
    chart_summary: String,
    errors: Vec<fields::SummaryItem>,
    reason: String,
    can_acknowledge: bool,
    /// Policy owners and admins see what the guideline changes citing it did.
    can_measure: bool,
    effect: Option<EffectView>,
}

/// The effect of the latest change citing the pattern, for those who may see it.
async fn effect_of(
    state: &AppState,
    viewer: &Account,
    id: i32,
) -> Result<(bool, Option<EffectView>), AppError> {
    if !viewer.can(Role::PolicyOwner) {
        return Ok((false, None));
    }
    let window = state.config.patterns.window_days;
    let measured = effect::of_latest_change(&state.db, id, today(), window).await?;
    Ok((
        true,
        measured.map(|m| EffectView::of("latest", &m.effect).with_change(&m.change)),
    ))
}

#[derive(Serialize)]
struct PatternView {
    id: i32,
    title: String,
    explanation: String,
    kind: &'static str,
    status: &'static str,
    dismissal_reason: Option<String>,
    occurrences: u32,
    units: Vec<String>,
    terms: Vec<String>,
    first_seen: String,
    last_seen: String,
    trend: String,
    trend_current: u32,
    trend_previous: u32,
    score: f64,
}

fn detail_page(
    detail: PatternDetail,
    errors: Vec<fields::SummaryItem>,
    reason: String,
    (can_measure, effect): (bool, Option<EffectView>),
) -> DetailPage {
    let months = chart::months_filled(&detail.by_month);
    let busiest = months.iter().max_by_key(|(_, n)| *n);
    let chart_summary = match busiest {
        Some((month, n)) => format!(
            "Occurrences by month from {} to {}; the most, {n}, in {month}.",
            detail.summary.first_seen, detail.summary.last_seen
        ),
        None => "No occurrences by month.".to_owned(),
    };
    let p = detail.summary;
    DetailPage {
        chart_svg: chart::bars(&months),
        chart_summary,
        months: months
            .into_iter()
            .map(|(month, occurrences)| MonthRow { month, occurrences })
            .collect(),
        members: detail.members.into_iter().map(Member::from).collect(),
        can_acknowledge: p.status != PatternStatus::Acknowledged,
        pattern: PatternView {
            id: p.id,
            title: p.title,
            explanation: p.explanation,
            kind: p.kind.label(),
            status: p.status.label(),
            dismissal_reason: p.dismissal_reason,
            occurrences: p.occurrences,
            units: p.units,
            terms: p.terms,
            first_seen: p.first_seen,
            last_seen: p.last_seen,
            trend: p.trend,
            trend_current: p.trend_current,
            trend_previous: p.trend_previous,
            score: p.score,
        },
        errors,
        reason,
        can_measure,
        effect,
    }
}

#[handler]
pub async fn show_pattern(
    Data(state): Data<&AppState>,
    SignedIn(viewer): SignedIn,
    Path(id): Path<i32>,
) -> PageResult {
    let detail = patterns::get(&state.db, &viewer, id).await?;
    let effect = effect_of(state, &viewer, id).await?;
    let page = detail_page(detail, Vec::new(), String::new(), effect);
    render(state, "pages/patterns/show", &page, StatusCode::OK)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StatusForm {
    status: String,
    reason: String,
}

#[handler]
pub async fn set_status(
    Data(state): Data<&AppState>,
    SignedIn(viewer): SignedIn,
    Path(id): Path<i32>,
    body: Body,
) -> PageResult {
    let Posted { form, readable } = read_form_as_sent::<StatusForm>(body).await?;
    let changed = async {
        readable?;
        let status = StatusDecision::from_slug(&form.status).ok_or_else(|| {
            AppError::invalid("status", "choose to acknowledge, dismiss or mark addressed")
        })?;
        patterns::set_status(&state.db, &viewer, id, status, Some(&form.reason)).await
    };
    match changed.await {
        Ok(_) => Ok(see_other(&format!("/patterns/{id}"))),
        Err(AppError::Invalid(errors)) => {
            let detail = patterns::get(&state.db, &viewer, id).await?;
            let effect = effect_of(state, &viewer, id).await?;
            let page = detail_page(detail, fields::summary(&errors), form.reason, effect);
            render(
                state,
                "pages/patterns/show",
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(error) => Err(error),
    }
}

#[derive(Serialize)]
struct ReaderPage {
    title: String,
    explanation: String,
    unit_count: u32,
    members: Vec<Member>,
}

/// A pattern as readers see it from a lesson: what recurs and the lessons that show it.
#[handler]
pub async fn reader_pattern(Data(state): Data<&AppState>, Path(id): Path<i32>) -> PageResult {
    let pattern = patterns::reader_view(&state.db, id).await?;
    let page = ReaderPage {
        title: pattern.title,
        explanation: pattern.explanation,
        unit_count: pattern.unit_count,
        members: pattern.members.into_iter().map(Member::from).collect(),
    };
    render(state, "pages/patterns/reader", &page, StatusCode::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_words_are_marked_whole_and_in_any_case() {
        let pieces = marked(
            "Replied all to the list; reply-all again",
            &["replied all".into()],
        );
        let marks: Vec<&str> = pieces
            .iter()
            .filter(|p| p.mark)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(marks, ["Replied all"]);
        let text: String = pieces.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(text, "Replied all to the list; reply-all again");
    }

    #[test]
    fn no_words_mark_nothing() {
        let pieces = marked("Nothing here", &[]);
        assert!(pieces.iter().all(|p| !p.mark));
    }
}
