//! Checking what someone typed before anything is stored, with one message per field.

use std::collections::HashMap;

use time::Date;

use crate::{
    error::FieldError,
    month::YearMonth,
    services::{taxonomy::Factor, units},
    vocabulary::{Audience, Channel, Impact},
};

pub const MAX_TITLE: usize = 200;
/// Generous on purpose: imported post-mortems run to 25,000 characters.
pub const MAX_NARRATIVE: usize = 50_000;
pub const MAX_TEXT: usize = 10_000;
pub const MAX_FACTORS: usize = 8;
pub const MAX_TAGS: usize = 12;
pub const MAX_TAG: usize = 40;
pub const MAX_UNIT_PATH: usize = 600;
pub const MAX_URL: usize = 2_000;

/// A report as it arrives from the form, the API or an import line, before any checks.
#[derive(Clone, Debug, Default)]
pub struct ReportInput {
    pub title: String,
    pub narrative: String,
    pub channel: Option<String>,
    pub audience: Option<String>,
    pub impact: Option<String>,
    pub factors: Vec<String>,
    pub what_helped: String,
    pub lesson: String,
    pub unit: Option<String>,
    /// `YYYY-MM` or `YYYY-MM-DD`; a day is dropped, only the month is kept.
    pub occurred_on: Option<String>,
    pub tags: Vec<String>,
    pub source_url: Option<String>,
}

/// Who is submitting, which decides what is required.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A person on the form or the API: channel and impact are required, units must exist.
    Reporter,
    /// A line of an import file: only title and narrative are required, units are created.
    Import,
}

/// A report that passed every check, in the shape the database wants.
#[derive(Clone, Debug)]
pub struct ValidReport {
    pub title: String,
    pub narrative: String,
    pub channel: Option<Channel>,
    pub audience: Option<Audience>,
    pub impact: Option<Impact>,
    pub factor_ids: Vec<i32>,
    pub what_helped: String,
    pub lesson: String,
    pub unit_path: Option<String>,
    pub occurred_month: Option<String>,
    pub tags: Vec<String>,
    pub source_url: Option<String>,
}

/// Checks every field and reports every problem at once, so a form needs one round trip.
pub fn validate(
    input: &ReportInput,
    origin: Origin,
    factors: &HashMap<String, Factor>,
    today: Date,
) -> Result<ValidReport, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut check = |field: &str, result: Result<(), String>| {
        if let Err(reason) = result {
            errors.push(FieldError::new(field, reason));
        }
    };

    let title = input.title.trim().to_owned();
    check("title", required_text(&title, MAX_TITLE));
    let narrative = input.narrative.trim().to_owned();
    check("narrative", required_text(&narrative, MAX_NARRATIVE));
    let what_helped = input.what_helped.trim().to_owned();
    check("what_helped", optional_text(&what_helped, MAX_TEXT));
    let lesson = input.lesson.trim().to_owned();
    check("lesson", optional_text(&lesson, MAX_TEXT));

    let required = origin == Origin::Reporter;
    let channel = choice(
        &input.channel,
        required,
        Channel::from_slug,
        Channel::expected,
    );
    check(
        "channel",
        channel.as_ref().map(|_| ()).map_err(Clone::clone),
    );
    let audience = choice(
        &input.audience,
        false,
        Audience::from_slug,
        Audience::expected,
    );
    check(
        "audience",
        audience.as_ref().map(|_| ()).map_err(Clone::clone),
    );
    let impact = choice(&input.impact, required, Impact::from_slug, Impact::expected);
    check("impact", impact.as_ref().map(|_| ()).map_err(Clone::clone));

    let factor_ids = factor_ids(&input.factors, factors);
    check(
        "factors",
        factor_ids.as_ref().map(|_| ()).map_err(Clone::clone),
    );

    let unit_path = input
        .unit
        .as_deref()
        .map(units::normalise_path)
        .filter(|p| !p.is_empty());
    if let Some(path) = &unit_path {
        check("unit", optional_text(path, MAX_UNIT_PATH));
    }

    let occurred_month = occurred_month(input.occurred_on.as_deref(), today);
    check(
        "occurred_on",
        occurred_month.as_ref().map(|_| ()).map_err(Clone::clone),
    );

    let tags = normalise_tags(&input.tags);
    check("tags", tags.as_ref().map(|_| ()).map_err(Clone::clone));

    let source_url = input
        .source_url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_owned);
    if let Some(url) = &source_url {
        check("source_url", source(url));
    }

    match (channel, audience, impact, factor_ids, occurred_month, tags) {
        (Ok(channel), Ok(audience), Ok(impact), Ok(factor_ids), Ok(occurred_month), Ok(tags))
            if errors.is_empty() =>
        {
            Ok(ValidReport {
                title,
                narrative,
                channel,
                audience,
                impact,
                factor_ids,
                what_helped,
                lesson,
                unit_path,
                occurred_month,
                tags,
                source_url,
            })
        }
        _ => Err(errors),
    }
}

fn required_text(value: &str, max: usize) -> Result<(), String> {
    if value.is_empty() {
        return Err("is required".to_owned());
    }
    optional_text(value, max)
}

fn optional_text(value: &str, max: usize) -> Result<(), String> {
    let length = value.chars().count();
    if length > max {
        return Err(format!("is {length} characters long; the limit is {max}"));
    }
    // PostgreSQL refuses NUL in text, and other control characters are never meant.
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err("contains control characters".to_owned());
    }
    Ok(())
}

pub(crate) fn choice<T>(
    value: &Option<String>,
    required: bool,
    parse: fn(&str) -> Option<T>,
    expected: fn() -> String,
) -> Result<Option<T>, String> {
    match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None if required => Err(format!("is required; choose one of: {}", expected())),
        None => Ok(None),
        Some(slug) => parse(slug)
            .map(Some)
            .ok_or_else(|| format!("'{slug}' is not one of: {}", expected())),
    }
}

pub(crate) fn factor_ids(
    slugs: &[String],
    known: &HashMap<String, Factor>,
) -> Result<Vec<i32>, String> {
    let mut ids = Vec::new();
    for slug in slugs.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let factor = known
            .get(slug)
            .ok_or_else(|| format!("'{slug}' is not a contributing factor of the taxonomy"))?;
        if !ids.contains(&factor.id) {
            ids.push(factor.id);
        }
    }
    if ids.len() > MAX_FACTORS {
        return Err(format!(
            "name at most {MAX_FACTORS} factors, the ones that mattered most"
        ));
    }
    Ok(ids)
}

fn occurred_month(value: Option<&str>, today: Date) -> Result<Option<String>, String> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let month = YearMonth::parse(value)
        .map_err(|_| format!("'{value}' is not a month in the form YYYY-MM"))?;
    if month.year() < 1990 {
        return Err("is before 1990; is the year right?".to_owned());
    }
    if month > YearMonth::of(today) {
        return Err("is in the future".to_owned());
    }
    Ok(Some(month.to_string()))
}

/// Tags as stored: lower case, words joined by dashes, no duplicates, a reason when one
/// cannot be a tag.
pub fn normalise_tags(raw: &[String]) -> Result<Vec<String>, String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in raw {
        let tag = tag
            .trim()
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join("-");
        if tag.is_empty() {
            continue;
        }
        if tag.chars().count() > MAX_TAG {
            return Err(format!("'{tag}' is longer than {MAX_TAG} characters"));
        }
        if !tag
            .chars()
            .all(|c| c.is_alphanumeric() || "-_/.&+#".contains(c))
        {
            return Err(format!(
                "'{tag}' may hold only letters, digits and - _ / . & + #"
            ));
        }
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    if tags.len() > MAX_TAGS {
        return Err(format!("use at most {MAX_TAGS} tags"));
    }
    Ok(tags)
}

fn source(url: &str) -> Result<(), String> {
    optional_text(url, MAX_URL)?;
    if url.starts_with("https://") || url.starts_with("http://") {
        Ok(())
    } else {
        Err("must be an http or https address".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn factors() -> HashMap<String, Factor> {
        let factor = Factor {
            id: 7,
            slug: "autocomplete".into(),
            name: "Autocomplete".into(),
            description: String::new(),
            category: "Tools & channels".into(),
        };
        HashMap::from([(factor.slug.clone(), factor)])
    }

    fn input() -> ReportInput {
        ReportInput {
            title: "Reply-all to the whole agency".into(),
            narrative: "It went to everyone.".into(),
            channel: Some("email".into()),
            impact: Some("minor".into()),
            ..Default::default()
        }
    }

    fn fields(errors: Vec<FieldError>) -> Vec<String> {
        errors.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_complete_report_passes() {
        let today = date!(2026 - 11 - 26);
        let mut report = input();
        report.occurred_on = Some("2026-03-14".into());
        report.tags = vec![" Reply All ".into(), "reply-all".into()];
        report.factors = vec!["autocomplete".into()];
        let valid = validate(&report, Origin::Reporter, &factors(), today).map_err(fields);
        let valid = valid.expect("a complete report is valid");
        assert_eq!(valid.occurred_month.as_deref(), Some("2026-03"));
        assert_eq!(valid.tags, vec!["reply-all"]);
        assert_eq!(valid.factor_ids, vec![7]);
    }

    #[test]
    fn every_problem_is_named_by_its_field() {
        let today = date!(2026 - 11 - 26);
        let report = ReportInput {
            title: "x".repeat(MAX_TITLE + 1),
            narrative: "  ".into(),
            channel: Some("fax".into()),
            impact: None,
            factors: vec!["careless_person".into()],
            occurred_on: Some("2027-01".into()),
            tags: vec!["<b>".into()],
            ..Default::default()
        };
        let errors = validate(&report, Origin::Reporter, &factors(), today).map_err(fields);
        assert_eq!(
            errors.err(),
            Some(
                [
                    "title",
                    "narrative",
                    "channel",
                    "impact",
                    "factors",
                    "occurred_on",
                    "tags"
                ]
                .map(String::from)
                .to_vec()
            )
        );
    }

    #[test]
    fn imports_need_only_title_and_narrative() {
        let report = ReportInput {
            title: "Outage".into(),
            narrative: "Body".into(),
            ..Default::default()
        };
        assert!(validate(&report, Origin::Import, &factors(), date!(2026 - 01 - 01)).is_ok());
        assert!(validate(&report, Origin::Reporter, &factors(), date!(2026 - 01 - 01)).is_err());
    }

    #[test]
    fn nul_bytes_are_refused_not_stored() {
        let mut report = input();
        report.lesson = "before\0after".into();
        let errors = validate(&report, Origin::Reporter, &factors(), date!(2026 - 01 - 01));
        assert_eq!(
            errors.map_err(fields).err(),
            Some(vec!["lesson".to_owned()])
        );
    }

    #[test]
    fn impossible_days_and_months_are_refused() {
        for bad in ["2026-13", "2026-02-30", "26-01", "March"] {
            let mut report = input();
            report.occurred_on = Some(bad.into());
            let errors = validate(&report, Origin::Reporter, &factors(), date!(2026 - 11 - 26));
            assert!(errors.is_err(), "{bad} should be refused");
        }
    }
}
