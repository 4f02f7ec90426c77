//! Section text: Markdown checked before it is stored and rendered to safe HTML when shown.
//!
//! Two locks on one door. Writing refuses what has no place in a guideline — raw HTML, links
//! that run code or carry data, headings that would break the document's outline — and says
//! on which line. Rendering then sanitises whatever pulldown-cmark produces with ammonia, so
//! that nothing executable reaches a page even from text stored before a rule existed.

use std::collections::HashSet;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, html};

use crate::error::{AppError, FieldError, Result};

/// The most a section's Markdown may hold, in bytes: a section is a rule and its reasons,
/// not a document of its own.
pub const MAX_SECTION_BYTES: usize = 64 * 1024;

/// The link schemes a guideline may use; anything else (`javascript:`, `data:`, `file:`…)
/// is refused. Links without a scheme (`/reports/…`, `#anchor`) are fine.
const SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

const RAW_HTML: &str = "raw HTML is not allowed";

/// Something in a text that cannot be stored, and the line (from 1) where it starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub reason: String,
}

/// The Markdown extensions guidelines use: tables and strikethrough.
fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Checks a section's Markdown for `field`: size, control characters, raw HTML, link schemes
/// and heading levels. Every problem is named with its line.
pub fn check(field: &str, text: &str) -> Result<()> {
    if text.len() > MAX_SECTION_BYTES {
        return Err(AppError::invalid(
            field,
            format!(
                "is {} bytes long; a section holds at most {MAX_SECTION_BYTES} bytes (64 KiB): \
                 split it into several sections",
                text.len()
            ),
        ));
    }
    let found = problems(text);
    if found.is_empty() {
        return Ok(());
    }
    Err(AppError::Invalid(
        found
            .into_iter()
            .map(|p| FieldError::new(field, format!("line {}: {}", p.line, p.reason)))
            .collect(),
    ))
}

/// What cannot be stored in a section's Markdown, in the order met.
pub fn problems(text: &str) -> Vec<Problem> {
    let mut found = Vec::new();
    let line_of = |offset: usize| line_at(text, offset);
    if let Some(at) = text.find(|c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        found.push(Problem {
            line: line_of(at),
            reason: "contains a control character; only tabs and line breaks are allowed"
                .to_owned(),
        });
    }
    // Within a section, `###` comes first: `#` is the guideline's title, `##` its sections.
    let mut level = HeadingLevel::H2;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        let line = line_of(range.start);
        match event {
            // One problem a line is enough: `<b>…</b>` is one, not two.
            Event::Html(html) | Event::InlineHtml(html) => {
                let same_line = found
                    .last()
                    .is_some_and(|p: &Problem| p.line == line && p.reason.starts_with(RAW_HTML));
                if !same_line {
                    found.push(Problem {
                        line,
                        reason: format!("{RAW_HTML} ({}); write it in Markdown", excerpt(&html)),
                    });
                }
            }
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                if let Some(scheme) = refused_scheme(&dest_url) {
                    found.push(Problem {
                        line,
                        reason: format!(
                            "links may not use `{scheme}:`; use http, https, mailto or tel"
                        ),
                    });
                }
            }
            Event::Start(Tag::Heading { level: next, .. }) => {
                if next <= HeadingLevel::H2 {
                    found.push(Problem {
                        line,
                        reason: "headings inside a section start at ###: # is the guideline's \
                                 title and ## starts a new section"
                            .to_owned(),
                    });
                } else if depth(next) > depth(level) + 1 {
                    found.push(Problem {
                        line,
                        reason: format!(
                            "heading level skipped: {} follows {}",
                            "#".repeat(depth(next)),
                            "#".repeat(depth(level))
                        ),
                    });
                }
                level = next.max(HeadingLevel::H2);
            }
            _ => {}
        }
    }
    found
}

/// Renders stored Markdown to HTML that is safe to put in a page: ammonia keeps only
/// harmless tags and attributes, drops scripts and unknown link schemes, and gives every link
/// `rel="noopener noreferrer"`.
pub fn render(text: &str) -> String {
    let mut raw = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(text, options()));
    ammonia::Builder::default()
        .url_schemes(HashSet::from(SCHEMES))
        .link_rel(Some("noopener noreferrer"))
        .clean(&raw)
        .to_string()
}

/// The scheme of a link destination when it is not an allowed one. Browsers ignore tabs,
/// line breaks and leading spaces in a scheme, so they are ignored here too.
fn refused_scheme(dest: &str) -> Option<String> {
    let cleaned: String = dest
        .trim_start_matches(|c: char| c.is_ascii_whitespace() || c.is_control())
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let end = cleaned.find([':', '/', '?', '#'])?;
    if !cleaned[end..].starts_with(':') {
        return None;
    }
    let scheme = cleaned[..end].to_ascii_lowercase();
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    // A colon after something that cannot be a scheme makes a relative link, as in a URL.
    (is_scheme && !SCHEMES.contains(&scheme.as_str())).then_some(scheme)
}

fn depth(level: HeadingLevel) -> usize {
    level as usize
}

/// The line (from 1) of a byte offset.
pub fn line_at(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn excerpt(html: &str) -> String {
    let first = html.trim().lines().next().unwrap_or_default();
    let mut short: String = first.chars().take(40).collect();
    if short.len() < first.len() {
        short.push('…');
    }
    format!("`{short}`")
}

#[cfg(test)]
mod tests;
