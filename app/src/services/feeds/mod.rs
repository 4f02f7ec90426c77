//! Atom feeds of newly published lessons (all, or one channel, factor, unit or pattern) and
//! of guideline changes.
//!
//! A lesson's entry carries the published version only, never a reporter's own words, and is
//! dated by the month it was published: no more precise than the lesson page, which dates a
//! lesson by its month.

pub mod tokens;

use atom_syndication::{Content, Entry, Feed, FixedDateTime, Link, Person, Text};
use entities::{guideline, guideline_revision, publication, report, report_factor, unit};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use time::{Date, PrimitiveDateTime, format_description::well_known::Rfc3339};

use crate::{
    error::{AppError, Result},
    month::YearMonth,
    services::{guidelines::ChangeKind, patterns, taxonomy, units},
    vocabulary::{Channel, Status},
};

/// Entries in one feed: feed readers keep what they have seen, so the newest suffice.
const ENTRIES: u64 = 50;

/// Which lessons a feed follows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum LessonFilter {
    #[default]
    All,
    Channel(Channel),
    /// A factor's slug.
    Factor(String),
    /// A unit's path: the unit and the units under it.
    Unit(String),
    /// A recurring pattern's id, as readers see it.
    Pattern(i32),
}

impl LessonFilter {
    /// Reads the feed's query: at most one of `channel`, `factor`, `unit` and `pattern`.
    pub fn from_query(
        channel: Option<&str>,
        factor: Option<&str>,
        unit: Option<&str>,
        pattern: Option<&str>,
    ) -> Result<Self> {
        fn given(v: Option<&str>) -> Option<&str> {
            v.map(str::trim).filter(|v| !v.is_empty())
        }
        let (channel, factor, unit, pattern) =
            (given(channel), given(factor), given(unit), given(pattern));
        let count = [channel, factor, unit, pattern].iter().flatten().count();
        if count > 1 {
            return Err(AppError::invalid(
                "channel",
                "a feed follows one channel, factor, unit or pattern at a time",
            ));
        }
        Ok(match (channel, factor, unit, pattern) {
            (Some(c), ..) => Self::Channel(
                Channel::from_slug(c)
                    .ok_or_else(|| AppError::invalid("channel", "is not a known channel"))?,
            ),
            (_, Some(f), ..) => Self::Factor(f.to_owned()),
            (_, _, Some(u), _) => Self::Unit(units::normalise_path(u)),
            (.., Some(p)) => Self::Pattern(
                p.parse()
                    .map_err(|_| AppError::invalid("pattern", "is not a pattern's number"))?,
            ),
            _ => Self::All,
        })
    }

    /// The query that selects this feed, for links to it.
    pub fn query(&self) -> Vec<(&'static str, String)> {
        match self {
            Self::All => vec![],
            Self::Channel(c) => vec![("channel", c.slug().to_owned())],
            Self::Factor(f) => vec![("factor", f.clone())],
            Self::Unit(u) => vec![("unit", u.clone())],
            Self::Pattern(p) => vec![("pattern", p.to_string())],
        }
    }
}

/// Where a feed's links point: the site's address, without a trailing slash.
#[derive(Clone, Debug)]
pub struct SiteUrl(pub String);

impl SiteUrl {
    fn link(&self, path: &str) -> String {
        format!("{}{path}", self.0.trim_end_matches('/'))
    }
}

/// The feed of the newest published lessons that `filter` selects, as Atom XML.
pub async fn lessons(
    db: &DatabaseConnection,
    filter: &LessonFilter,
    site: &SiteUrl,
) -> Result<String> {
    let (title, ids) = selection(db, filter).await?;
    let mut query = report::Entity::find()
        .filter(report::Column::Status.eq(Status::Published.slug()))
        .order_by_desc(report::Column::DecidedOn)
        .order_by_asc(report::Column::Id)
        .limit(ENTRIES);
    if let Some(ids) = ids {
        query = query.filter(report::Column::Id.is_in(ids));
    }
    if let LessonFilter::Channel(channel) = filter {
        query = query.filter(report::Column::Channel.eq(channel.slug()));
    }
    let rows = query.all(db).await?;
    let texts = publication::Entity::find()
        .filter(publication::Column::ReportId.is_in(rows.iter().map(|r| r.id.clone())))
        .all(db)
        .await?;
    let mut entries = Vec::with_capacity(rows.len());
    for row in rows {
        // A published lesson always has its published version; one that has not is skipped
        // rather than shown with anything else.
        let Some(text) = texts.iter().find(|t| t.report_id == row.id) else {
            continue;
        };
        entries.push(lesson_entry(db, &row, text, site).await?);
    }
    let query = serde_html_form::to_string(filter.query()).unwrap_or_default();
    let self_path = match query.as_str() {
        "" => "/feeds/lessons.atom".to_owned(),
        q => format!("/feeds/lessons.atom?{q}"),
    };
    let alternate = match filter {
        LessonFilter::Pattern(id) => format!("/lessons/patterns/{id}"),
        _ if query.is_empty() => "/search".to_owned(),
        _ => format!("/search?{query}"),
    };
    Ok(write(feed(
        &title,
        &format!(
            "urn:kintsugi:lessons{}",
            if query.is_empty() {
                String::new()
            } else {
                format!("?{query}")
            }
        ),
        site,
        &self_path,
        &alternate,
        entries,
    )))
}

/// The feed's title and, unless every lesson or one channel is wanted, the reports it may show.
async fn selection(
    db: &DatabaseConnection,
    filter: &LessonFilter,
) -> Result<(String, Option<Vec<String>>)> {
    Ok(match filter {
        LessonFilter::All => ("New lessons".to_owned(), None),
        LessonFilter::Channel(c) => (format!("New lessons: {}", c.label()), None),
        LessonFilter::Factor(slug) => {
            let factors = taxonomy::factors_by_slug(db).await?;
            let factor = factors
                .get(slug)
                .ok_or_else(|| AppError::invalid("factor", "is not a known factor"))?;
            let ids = report_factor::Entity::find()
                .filter(report_factor::Column::FactorId.eq(factor.id))
                .select_only()
                .column(report_factor::Column::ReportId)
                .into_tuple()
                .all(db)
                .await?;
            (format!("New lessons: {}", factor.name), Some(ids))
        }
        LessonFilter::Unit(path) => {
            if units::find_by_path(db, path).await?.is_none() {
                return Err(AppError::invalid(
                    "unit",
                    "is not a unit of this organisation",
                ));
            }
            let under = unit::Entity::find()
                .filter(
                    Condition::any()
                        .add(unit::Column::Path.eq(path.as_str()))
                        .add(unit::Column::Path.starts_with(format!("{path}/"))),
                )
                .select_only()
                .column(unit::Column::Id)
                .into_tuple::<i32>()
                .all(db)
                .await?;
            let ids = report::Entity::find()
                .filter(report::Column::UnitId.is_in(under))
                .select_only()
                .column(report::Column::Id)
                .into_tuple()
                .all(db)
                .await?;
            (format!("New lessons: {path}"), Some(ids))
        }
        LessonFilter::Pattern(id) => {
            // As readers see it: a local or dismissed pattern is not found.
            let pattern = patterns::reader_view(db, *id).await?;
            let ids = pattern.members.into_iter().map(|m| m.reference).collect();
            (
                format!("Lessons of a pattern: {}", pattern.title),
                Some(ids),
            )
        }
    })
}

async fn lesson_entry(
    db: &DatabaseConnection,
    row: &report::Model,
    text: &publication::Model,
    site: &SiteUrl,
) -> Result<Entry> {
    let published = row.decided_on.unwrap_or(row.updated_on);
    let mut facts = Vec::new();
    if let Some(channel) = row.channel.as_deref().and_then(Channel::from_slug) {
        facts.push(format!("Channel: {}", channel.label()));
    }
    if let Some(id) = row.unit_id
        && let Some(path) = units::path_of(db, id).await?
    {
        facts.push(format!("Unit: {path}"));
    }
    let factors = taxonomy::factors_of(db, &row.id).await?;
    if !factors.is_empty() {
        let names: Vec<&str> = factors.iter().map(|f| f.name.as_str()).collect();
        facts.push(format!(
            "What made it easy to get wrong: {}",
            names.join(", ")
        ));
    }
    let mut html = String::new();
    for fact in &facts {
        html.push_str(&format!("<p><em>{}</em></p>", escape(fact)));
    }
    html.push_str("<h2>What happened</h2>");
    html.push_str(&paragraphs(&text.narrative));
    if !text.lesson.trim().is_empty() {
        html.push_str("<h2>The lesson</h2>");
        html.push_str(&paragraphs(&text.lesson));
    }
    let mut entry = Entry {
        title: Text::plain(text.title.clone()),
        id: format!("urn:kintsugi:lesson:{}", row.id),
        updated: month_start(published),
        links: vec![link(
            "alternate",
            &site.link(&format!("/reports/{}", row.id)),
            "text/html",
        )],
        ..Entry::default()
    };
    if !text.lesson.trim().is_empty() {
        entry.summary = Some(Text::plain(text.lesson.clone()));
    }
    entry.content = Some(Content {
        content_type: Some("html".to_owned()),
        value: Some(html),
        ..Content::default()
    });
    Ok(entry)
}

/// The feed of guideline changes, newest first, as Atom XML.
pub async fn guideline_changes(db: &DatabaseConnection, site: &SiteUrl) -> Result<String> {
    let rows = guideline_revision::Entity::find()
        .order_by_desc(guideline_revision::Column::ChangedOn)
        .order_by_desc(guideline_revision::Column::Id)
        .limit(ENTRIES)
        .all(db)
        .await?;
    let guidelines = guideline::Entity::find()
        .filter(guideline::Column::Id.is_in(rows.iter().map(|r| r.guideline_id)))
        .all(db)
        .await?;
    let entries = rows
        .into_iter()
        .filter_map(|row| {
            let g = guidelines.iter().find(|g| g.id == row.guideline_id)?;
            Some(revision_entry(g, row, site))
        })
        .collect();
    Ok(write(feed(
        "Guideline changes",
        "urn:kintsugi:guideline-changes",
        site,
        "/feeds/guidelines.atom",
        "/guidelines",
        entries,
    )))
}

fn revision_entry(g: &guideline::Model, row: guideline_revision::Model, site: &SiteUrl) -> Entry {
    let change = ChangeKind::from_slug(&row.change).map_or("Changed", |c| c.label());
    let section = row
        .anchor
        .as_deref()
        .map(|a| format!(" (§ {a})"))
        .unwrap_or_default();
    let path = format!("/guidelines/{}/revisions/{}", g.slug, row.number);
    let html = format!(
        "<p>{}</p><p><em>Effective from {}.</em></p>",
        escape(&row.rationale),
        row.effective_from
    );
    Entry {
        title: Text::plain(format!(
            "{}: {change}{section}, revision {}",
            g.title, row.number
        )),
        id: format!("urn:kintsugi:guideline:{}:revision:{}", g.slug, row.number),
        updated: utc(row.changed_on),
        authors: vec![Person {
            name: row.author,
            ..Person::default()
        }],
        links: vec![link("alternate", &site.link(&path), "text/html")],
        content: Some(Content {
            content_type: Some("html".to_owned()),
            value: Some(html),
            ..Content::default()
        }),
        ..Entry::default()
    }
}

fn feed(
    title: &str,
    id: &str,
    site: &SiteUrl,
    self_path: &str,
    alternate: &str,
    entries: Vec<Entry>,
) -> Feed {
    // An empty feed is as old as the epoch: nothing in it has changed since.
    let updated = entries.iter().map(|e| e.updated).max().unwrap_or_default();
    Feed {
        title: Text::plain(format!("Kintsugi: {title}")),
        id: id.to_owned(),
        updated,
        authors: vec![Person {
            name: "Kintsugi".to_owned(),
            ..Person::default()
        }],
        links: vec![
            link("self", &site.link(self_path), "application/atom+xml"),
            link("alternate", &site.link(alternate), "text/html"),
        ],
        entries,
        ..Feed::default()
    }
}

fn link(rel: &str, href: &str, mime_type: &str) -> Link {
    Link {
        rel: rel.to_owned(),
        href: href.to_owned(),
        mime_type: Some(mime_type.to_owned()),
        ..Link::default()
    }
}

fn write(feed: Feed) -> String {
    // Writing into memory fails only on a writer error, which a Vec never has.
    let bytes = feed.write_to(Vec::new()).unwrap_or_default();
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n{}",
        String::from_utf8_lossy(&bytes)
    )
}

/// Midnight UTC on the first day of `day`'s month: how precisely a lesson is dated.
fn month_start(day: Date) -> FixedDateTime {
    utc(YearMonth::of(day).first_day().midnight())
}

fn utc(at: PrimitiveDateTime) -> FixedDateTime {
    let text = at.assume_utc().format(&Rfc3339).unwrap_or_default();
    FixedDateTime::parse_from_rfc3339(&text).unwrap_or_default()
}

fn escape(text: &str) -> String {
    handlebars::html_escape(text)
}

fn paragraphs(text: &str) -> String {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", escape(p)))
        .collect()
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    #[test]
    fn a_lesson_is_dated_by_its_month_only() {
        let dated = month_start(date!(2026 - 03 - 17));
        assert_eq!(dated.to_rfc3339(), "2026-03-01T00:00:00+00:00");
        assert_eq!(
            utc(datetime!(2026-03-17 14:05:09)).to_rfc3339(),
            "2026-03-17T14:05:09+00:00"
        );
    }

    #[test]
    fn a_feed_follows_one_thing_at_a_time() {
        assert_eq!(
            LessonFilter::from_query(None, None, None, None).ok(),
            Some(LessonFilter::All)
        );
        assert_eq!(
            LessonFilter::from_query(Some("email"), None, Some(" "), None).ok(),
            Some(LessonFilter::Channel(Channel::Email))
        );
        assert!(LessonFilter::from_query(Some("email"), Some("x"), None, None).is_err());
        assert!(LessonFilter::from_query(Some("telegraph"), None, None, None).is_err());
        assert!(LessonFilter::from_query(None, None, None, Some("seven")).is_err());
    }
}
