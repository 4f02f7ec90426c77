//! The search page's query string, and the search it asks for.

use serde::Deserialize;

use crate::services::search::{DEFAULT_LIMIT, SearchQuery};

/// The page's query string. Filters of one kind may repeat.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct SearchForm {
    pub(super) q: String,
    pub(super) channel: Vec<String>,
    pub(super) impact: Vec<String>,
    pub(super) factor: Vec<String>,
    pub(super) tag: Vec<String>,
    pub(super) unit: String,
    pub(super) from: String,
    pub(super) to: String,
    pub(super) sort: String,
    pub(super) page: u32,
    /// `guideline` to list guideline sections; lessons otherwise.
    pub(super) kind: String,
}

impl SearchForm {
    pub(super) fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        let many = |pairs: &mut Vec<(&'static str, String)>, name, values: &[String]| {
            pairs.extend(values.iter().map(|v| (name, v.clone())));
        };
        many(&mut pairs, "channel", &self.channel);
        many(&mut pairs, "impact", &self.impact);
        many(&mut pairs, "factor", &self.factor);
        many(&mut pairs, "tag", &self.tag);
        for (name, value) in [
            ("unit", &self.unit),
            ("from", &self.from),
            ("to", &self.to),
            ("sort", &self.sort),
            ("kind", &self.kind),
        ] {
            if !value.is_empty() {
                pairs.push((name, value.clone()));
            }
        }
        pairs
    }

    /// This search's URL, on `page`.
    pub(super) fn href(&self, page: u32) -> String {
        let mut pairs = vec![("q", self.q.clone())];
        pairs.extend(self.pairs());
        if page > 1 {
            pairs.push(("page", page.to_string()));
        }
        format!(
            "/search?{}",
            serde_html_form::to_string(&pairs).unwrap_or_default()
        )
    }

    pub(super) fn has_filters(&self) -> bool {
        !self.pairs().iter().all(|(name, _)| *name == "sort")
    }

    pub(super) fn query(&self) -> SearchQuery {
        SearchQuery {
            q: self.q.clone(),
            channel: self.channel.clone(),
            impact: self.impact.clone(),
            factor: self.factor.clone(),
            tag: self.tag.clone(),
            unit: Some(self.unit.clone()),
            from: Some(self.from.clone()),
            to: Some(self.to.clone()),
            sort: Some(if self.sort.is_empty() && self.q.trim().is_empty() {
                "newest".to_owned()
            } else {
                self.sort.clone()
            }),
            limit: Some(DEFAULT_LIMIT),
            offset: Some(self.page.saturating_sub(1).saturating_mul(DEFAULT_LIMIT)),
            kind: Some(self.kind.clone()),
        }
    }
}
