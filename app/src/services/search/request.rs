//! Reading a search as asked for, by the page or the API, into a request for the index,
//! naming every parameter that cannot be read.

use sea_orm::DatabaseConnection;
use search::{Filters, SearchRequest, Sort};

use super::sections::Kind;
use crate::{
    error::{AppError, FieldError, Result},
    month::YearMonth,
    services::{taxonomy, units},
    vocabulary::{Channel, Impact, Vocabulary},
};

pub const DEFAULT_LIMIT: u32 = 20;
pub const MAX_LIMIT: u32 = 100;
pub const MAX_OFFSET: u32 = 10_000;
pub const MAX_QUERY: usize = 1_000;

/// A search as asked for, before any checks: the same for the page and the API.
#[derive(Clone, Debug, Default)]
pub struct SearchQuery {
    pub q: String,
    pub channel: Vec<String>,
    pub impact: Vec<String>,
    pub factor: Vec<String>,
    pub tag: Vec<String>,
    pub unit: Option<String>,
    /// `YYYY-MM` or `YYYY-MM-DD`.
    pub from: Option<String>,
    pub to: Option<String>,
    /// `relevance` (the default) or `newest`.
    pub sort: Option<String>,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
    /// `lesson` (the default) or `guideline`.
    pub kind: Option<String>,
}

fn split_values(values: &[String]) -> Vec<String> {
    values
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Checks a search and turns it into a request for the index, naming every bad parameter.
pub async fn request(db: &DatabaseConnection, query: &SearchQuery) -> Result<SearchRequest> {
    Ok(checked(db, query).await?.0)
}

/// Checks a search, naming every bad parameter: the request for the lessons, and the kind of
/// result asked for.
pub(super) async fn checked(
    db: &DatabaseConnection,
    query: &SearchQuery,
) -> Result<(SearchRequest, Kind)> {
    let mut errors = Vec::new();
    let kind = Kind::read(query.kind.as_deref(), &mut errors);
    let text = query.q.trim().to_owned();
    if text.chars().count() > MAX_QUERY {
        errors.push(FieldError::new(
            "q",
            format!("is longer than {MAX_QUERY} characters"),
        ));
    }
    let channel = slugs_of::<Channel>("channel", &query.channel, &mut errors);
    let impact = slugs_of::<Impact>("impact", &query.impact, &mut errors);
    let factor = known_factors(db, &query.factor, &mut errors).await?;
    let (from_month, to_month) = months(query, &mut errors);
    let sort = sort(query.sort.as_deref(), &mut errors);
    let (limit, offset) = paging(query, &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let request = SearchRequest {
        text,
        filters: Filters {
            channel,
            impact,
            factor,
            tag: split_values(&query.tag)
                .into_iter()
                .map(|t| t.to_lowercase())
                .collect(),
            unit: unit_path(query.unit.as_deref()),
            from_month,
            to_month,
        },
        sort,
        limit,
        offset,
    };
    Ok((request, kind))
}

/// A filter of closed values, such as channels: every value must be one of them.
fn slugs_of<T: Vocabulary>(
    field: &str,
    values: &[String],
    errors: &mut Vec<FieldError>,
) -> Vec<String> {
    let values = split_values(values);
    if let Some(bad) = values.iter().find(|v| T::from_slug(v).is_none()) {
        errors.push(FieldError::new(
            field,
            format!("'{bad}' is not one of: {}", T::expected()),
        ));
    }
    values
}

/// Contributing factors: each must be one of the taxonomy, which is read only when asked.
async fn known_factors(
    db: &DatabaseConnection,
    values: &[String],
    errors: &mut Vec<FieldError>,
) -> Result<Vec<String>> {
    let factor = split_values(values);
    if !factor.is_empty() {
        let known = taxonomy::factors_by_slug(db).await?;
        if let Some(bad) = factor.iter().find(|f| !known.contains_key(*f)) {
            errors.push(FieldError::new(
                "factor",
                format!("'{bad}' is not a contributing factor of the taxonomy"),
            ));
        }
    }
    Ok(factor)
}

/// The months of `from` and `to` as `YYYYMM`, in that order.
fn months(query: &SearchQuery, errors: &mut Vec<FieldError>) -> (Option<u32>, Option<u32>) {
    let mut month = |field: &str, value: &Option<String>| -> Option<u32> {
        let value = value.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
        YearMonth::parse(value)
            .map(YearMonth::key)
            .map_err(|reason| errors.push(FieldError::new(field, format!("'{value}' {reason}"))))
            .ok()
    };
    let from = month("from", &query.from);
    let to = month("to", &query.to);
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        errors.push(FieldError::new("to", "is before from"));
    }
    (from, to)
}

fn sort(sort: Option<&str>, errors: &mut Vec<FieldError>) -> Sort {
    match sort.map(str::trim).unwrap_or("") {
        "" | "relevance" => Sort::Relevance,
        "newest" => Sort::Newest,
        other => {
            errors.push(FieldError::new(
                "sort",
                format!("'{other}' is not one of: relevance, newest"),
            ));
            Sort::Relevance
        }
    }
}

/// How many hits to answer and how many to skip.
fn paging(query: &SearchQuery, errors: &mut Vec<FieldError>) -> (usize, usize) {
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        errors.push(FieldError::new(
            "limit",
            format!("must be between 1 and {MAX_LIMIT}"),
        ));
    }
    let offset = query.offset.unwrap_or(0);
    if offset > MAX_OFFSET {
        errors.push(FieldError::new(
            "offset",
            format!("must be at most {MAX_OFFSET}; narrow the search instead"),
        ));
    }
    (limit as usize, offset as usize)
}

/// A unit path as the index holds it: its names from the root down.
fn unit_path(unit: Option<&str>) -> Vec<String> {
    unit.map(units::normalise_path)
        .filter(|u| !u.is_empty())
        .map(|u| u.split('/').map(str::to_owned).collect())
        .unwrap_or_default()
}
