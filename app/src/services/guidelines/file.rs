//! The Markdown file of a guideline, read and written: `#` is its title, `##` headings are its
//! sections.
//!
//! ```text
//! # Email {#email}
//!
//! Owner: Head of communications
//!
//! How we write email to the public and to partners.
//!
//! ## Use Bcc for external lists {#bcc-for-external-lists}
//!
//! Section text in Markdown; ### and deeper headings belong to the section.
//! ```
//!
//! The `{#…}` after a heading is optional: it keeps a slug or anchor when the wording changes;
//! without it the slug or anchor is made from the words. The `Owner:` line is optional too.
//! Export writes both, so that a file exported and imported again changes nothing.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::{
    anchors,
    fields::{MAX_HEADING, MAX_OWNER_ROLE, MAX_SUMMARY},
    markdown::{self, line_at},
};
use crate::error::{AppError, FieldError, Result};

const OWNER: &str = "Owner:";
const SKIPPED: &str = "heading level skipped";

/// A guideline file as read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GuidelineFile {
    /// From the title's `{#slug}`, when it has one.
    pub slug: Option<String>,
    pub title: String,
    pub owner_role: String,
    pub summary: String,
    pub sections: Vec<FileSection>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileSection {
    pub anchor: String,
    pub heading: String,
    pub markdown: String,
    /// The line of its `##` heading.
    pub line: usize,
}

/// A top-level heading met while reading.
struct Heading {
    level: HeadingLevel,
    text: String,
    id: Option<String>,
    line: usize,
    /// Where the heading starts and where the text after it starts, in bytes.
    start: usize,
    end: usize,
}

/// Reads a guideline file. Every problem is reported at once, each named by its line (the
/// field of the error is `line N`); nothing is read half-way.
pub fn parse(text: &str) -> Result<GuidelineFile> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut problems: Vec<(usize, String)> = Vec::new();
    let headings = top_level_headings(text);
    let Some(title_at) = headings.iter().position(|h| h.level == HeadingLevel::H1) else {
        return Err(at_lines(vec![(
            1,
            "there is no # title: the file starts with the guideline's title as a `# Title` line"
                .to_owned(),
        )]));
    };
    let title = &headings[title_at];
    if let Some(early) = headings[..title_at].first() {
        problems.push((early.line, "a heading comes before the # title".to_owned()));
    } else if !text[..title.start].trim().is_empty() {
        problems.push((1, "text comes before the # title".to_owned()));
    }
    for extra in headings[title_at + 1..]
        .iter()
        .filter(|h| h.level == HeadingLevel::H1)
    {
        problems.push((
            extra.line,
            "a second # title: a file holds one guideline".to_owned(),
        ));
    }
    let sections_at: Vec<&Heading> = headings[title_at + 1..]
        .iter()
        .filter(|h| h.level == HeadingLevel::H2)
        .collect();
    let intro_end = sections_at.first().map_or(text.len(), |h| h.start);
    let (owner_role, summary) = intro(&text[title.end..intro_end]);
    problems.extend(within(text, title.end, intro_end, HeadingLevel::H1));
    check_text(
        &mut problems,
        title.line,
        "the title",
        &title.text,
        MAX_HEADING,
    );
    check_text(
        &mut problems,
        title.line,
        "the owner",
        &owner_role,
        MAX_OWNER_ROLE,
    );
    if summary.chars().count() > MAX_SUMMARY {
        problems.push((
            title.line + 1,
            format!("the summary is longer than {MAX_SUMMARY} characters"),
        ));
    }
    let slug = title
        .id
        .as_ref()
        .map(|id| checked_anchor(&mut problems, title.line, id));
    let mut sections: Vec<FileSection> = Vec::new();
    for (i, heading) in sections_at.iter().enumerate() {
        let end = sections_at.get(i + 1).map_or(text.len(), |h| h.start);
        check_text(
            &mut problems,
            heading.line,
            "the heading",
            &heading.text,
            MAX_HEADING,
        );
        let anchor = match &heading.id {
            Some(id) => checked_anchor(&mut problems, heading.line, id),
            None => anchors::slug_of(&heading.text),
        };
        if anchor.is_empty() && heading.id.is_none() {
            problems.push((
                heading.line,
                "this heading gives no anchor: add one as {#anchor}".to_owned(),
            ));
        }
        if let Some(first) = sections
            .iter()
            .find(|s| s.anchor == anchor && !anchor.is_empty())
        {
            problems.push((
                heading.line,
                format!(
                    "the anchor '{anchor}' is already used by the section on line {}",
                    first.line
                ),
            ));
        }
        let body = clean(&text[heading.end..end]);
        if body.len() > markdown::MAX_SECTION_BYTES {
            problems.push((
                heading.line,
                format!(
                    "this section is {} bytes long; a section holds at most {} bytes (64 KiB)",
                    body.len(),
                    markdown::MAX_SECTION_BYTES
                ),
            ));
        }
        problems.extend(within(text, heading.end, end, HeadingLevel::H2));
        sections.push(FileSection {
            anchor,
            heading: heading.text.clone(),
            markdown: body,
            line: heading.line,
        });
    }
    if !problems.is_empty() {
        return Err(at_lines(problems));
    }
    Ok(GuidelineFile {
        slug,
        title: title.text.clone(),
        owner_role,
        summary,
        sections,
    })
}

/// Writes a guideline file that [`parse`] reads back as it was.
pub fn render(file: &GuidelineFile) -> String {
    let mut out = format!("# {}", file.title);
    if let Some(slug) = &file.slug {
        out.push_str(&format!(" {{#{slug}}}"));
    }
    out.push_str("\n\n");
    if !file.owner_role.is_empty() {
        out.push_str(&format!("{OWNER} {}\n\n", file.owner_role));
    }
    if !file.summary.is_empty() {
        out.push_str(&file.summary);
        out.push_str("\n\n");
    }
    for section in &file.sections {
        out.push_str(&format!(
            "## {} {{#{}}}\n\n",
            section.heading, section.anchor
        ));
        if !section.markdown.is_empty() {
            out.push_str(&section.markdown);
            out.push_str("\n\n");
        }
    }
    while out.ends_with('\n') {
        out.pop();
    }
    out.push('\n');
    out
}

/// The headings outside any block quote or list, in order.
fn top_level_headings(text: &str) -> Vec<Heading> {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut headings = Vec::new();
    let mut depth = 0usize;
    let mut open: Option<Heading> = None;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) if depth == 0 => {
                depth += 1;
                open = Some(Heading {
                    level,
                    text: String::new(),
                    id: id.map(|i| i.to_string()),
                    line: line_at(text, range.start),
                    start: range.start,
                    end: range.end,
                });
            }
            Event::End(TagEnd::Heading(_)) if depth == 1 => {
                depth -= 1;
                headings.extend(open.take().map(|mut h| {
                    h.text = h.text.split_whitespace().collect::<Vec<_>>().join(" ");
                    h
                }));
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = open.as_mut() {
                    h.text.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(h) = open.as_mut() {
                    h.text.push(' ');
                }
            }
            _ => {}
        }
    }
    headings
}

/// The problems of the Markdown between two top-level headings, on the file's lines. Under
/// the title (`#`) a `###` skips a level; under a section (`##`) it does not.
fn within(text: &str, start: usize, end: usize, under: HeadingLevel) -> Vec<(usize, String)> {
    let body = &text[start..end];
    let first_line = line_at(text, start);
    let mut found: Vec<(usize, String)> = markdown::problems(body)
        .into_iter()
        // Under the title, headings are judged below, against `#`.
        .filter(|p| under != HeadingLevel::H1 || !p.reason.starts_with(SKIPPED))
        .map(|p| (first_line + p.line - 1, p.reason))
        .collect();
    if under == HeadingLevel::H1
        && let Some(h) = top_level_headings(body).first()
    {
        found.push((
            first_line + h.line - 1,
            format!(
                "{SKIPPED}: {} follows # (sections are ## headings)",
                "#".repeat(h.level as usize)
            ),
        ));
    }
    found
}

/// The owner line and the summary, from the text between the title and the first section.
fn intro(text: &str) -> (String, String) {
    let body = clean(text);
    let first = body.lines().next().unwrap_or_default();
    match first.strip_prefix(OWNER) {
        Some(owner) => (owner.trim().to_owned(), clean(&body[first.len()..])),
        None => (String::new(), body),
    }
}

fn clean(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let start = text
        .find(|c: char| !c.is_whitespace())
        .map_or(text.len(), |i| text[..i].rfind('\n').map_or(0, |n| n + 1));
    text[start..].trim_end().to_owned()
}

fn check_text(
    problems: &mut Vec<(usize, String)>,
    line: usize,
    what: &str,
    text: &str,
    max: usize,
) {
    if what != "the owner" && text.is_empty() {
        problems.push((line, format!("{what} is empty")));
    }
    let length = text.chars().count();
    if length > max {
        problems.push((
            line,
            format!("{what} is {length} characters long; the limit is {max}"),
        ));
    }
}

fn checked_anchor(problems: &mut Vec<(usize, String)>, line: usize, id: &str) -> String {
    match anchors::validate("anchor", id) {
        Ok(anchor) => anchor,
        Err(error) => {
            let reason = error
                .field_errors()
                .first()
                .map(|e| e.reason.clone())
                .unwrap_or_default();
            problems.push((line, reason));
            id.to_owned()
        }
    }
}

fn at_lines(mut problems: Vec<(usize, String)>) -> AppError {
    problems.sort_by_key(|(line, _)| *line);
    AppError::Invalid(
        problems
            .into_iter()
            .map(|(line, reason)| FieldError::new(format!("line {line}"), reason))
            .collect(),
    )
}

#[cfg(test)]
mod tests;
