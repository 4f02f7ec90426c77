//! A published lesson as pages show it, with its factors and tags leading to the lessons
//! that share them.

use serde::Serialize;

use super::paragraphs;
use crate::services::reports::ReportView;

#[derive(Serialize)]
pub(super) struct LessonView {
    title: String,
    narrative: Vec<String>,
    what_helped: Vec<String>,
    lesson: Vec<String>,
    channel: Option<&'static str>,
    audience: Option<&'static str>,
    impact: Option<&'static str>,
    unit: Option<String>,
    occurred_month: Option<String>,
    logged_month: String,
    factors: Vec<FactorItem>,
    tags: Vec<TagItem>,
    source_url: Option<String>,
}

#[derive(Serialize)]
struct FactorItem {
    name: String,
    category: String,
    /// The search for lessons with this factor.
    href: String,
}

#[derive(Serialize)]
struct TagItem {
    name: String,
    /// The search for lessons with this tag.
    href: String,
}

/// The search page filtered by one value of one facet.
fn filtered_search(facet: &str, value: &str) -> String {
    let query = serde_html_form::to_string([(facet, value)]).unwrap_or_default();
    format!("/search?{query}")
}

impl From<ReportView> for LessonView {
    fn from(report: ReportView) -> Self {
        Self {
            title: report.title,
            narrative: paragraphs(&report.narrative),
            what_helped: paragraphs(&report.what_helped),
            lesson: paragraphs(&report.lesson),
            channel: report.channel.map(|c| c.label()),
            audience: report.audience.map(|a| a.label()),
            impact: report.impact.map(|i| i.label()),
            unit: report.unit,
            occurred_month: report.occurred_month,
            logged_month: report.logged_month,
            factors: report
                .factors
                .into_iter()
                .map(|f| FactorItem {
                    href: filtered_search("factor", &f.slug),
                    name: f.name,
                    category: f.category,
                })
                .collect(),
            tags: report
                .tags
                .into_iter()
                .map(|tag| TagItem {
                    href: filtered_search("tag", &tag),
                    name: tag,
                })
                .collect(),
            source_url: report.source_url,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::filtered_search;

    #[test]
    fn a_tag_with_signs_of_a_query_stays_one_value() {
        assert_eq!(filtered_search("tag", "q&a+#1"), "/search?tag=q%26a%2B%231");
    }
}
