//! Results as people see them: titles and passages with the query's words highlighted.

use std::collections::{BTreeMap, BTreeSet};

use tantivy::{
    DocAddress, Score, Searcher, TantivyDocument, Term,
    query::Query,
    schema::{Field, Value},
    snippet::{Snippet, SnippetGenerator},
};

use crate::{analyzer::highlighter, error::Result, index::SearchIndex, query::Hit};

/// Characters of a result's snippet.
pub(crate) const SNIPPET_CHARS: usize = 220;

impl SearchIndex {
    /// Turns addresses into hits with highlighted titles and snippets.
    /// `words` are the query as typed, to find where in a long text the snippet should be.
    pub(crate) fn hits(
        &self,
        searcher: &Searcher,
        text_query: &dyn Query,
        words: &str,
        addresses: Vec<(Score, DocAddress)>,
    ) -> Result<Vec<Hit>> {
        let needles = needles(words);
        let f = *self.fields();
        let title_snippets = generator(searcher, text_query, f.title, 400)?;
        let narrative_snippets = generator(searcher, text_query, f.narrative, SNIPPET_CHARS)?;
        let lesson_snippets = generator(searcher, text_query, f.lesson, SNIPPET_CHARS)?;
        addresses
            .into_iter()
            .map(|(score, address)| {
                let doc: TantivyDocument = searcher.doc(address)?;
                let text_of = |field: Field| {
                    doc.get_first(field)
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_owned()
                };
                let title = highlighted(title_snippets.snippet_from_doc(&doc));
                let narrative = text_of(f.narrative);
                let lesson = text_of(f.lesson);
                let snippet = [
                    (&narrative_snippets, &narrative),
                    (&lesson_snippets, &lesson),
                ]
                .into_iter()
                .map(|(generator, text)| generator.snippet(window(text, &needles)))
                .find(|snippet| !snippet.highlighted().is_empty())
                .map(highlighted)
                .unwrap_or_else(|| opening(&narrative));
                Ok(Hit {
                    report_ref: text_of(f.report_ref),
                    score,
                    title_html: if title.is_empty() {
                        escape(&text_of(f.title))
                    } else {
                        title
                    },
                    snippet_html: snippet,
                })
            })
            .collect()
    }
}

/// Highlights the query's terms of `field`, rarer terms counting more (as tantivy's own
/// generator does), reading texts with the [`highlighter`].
pub(crate) fn generator(
    searcher: &Searcher,
    query: &dyn Query,
    field: Field,
    chars: usize,
) -> Result<SnippetGenerator> {
    let mut terms: BTreeSet<&Term> = BTreeSet::new();
    query.query_terms(&mut |term, _| {
        if term.field() == field {
            terms.insert(term);
        }
    });
    let mut scored: BTreeMap<String, Score> = BTreeMap::new();
    for term in terms {
        let value = term.value();
        let Some(text) = value.as_str() else {
            continue;
        };
        let doc_freq = searcher.doc_freq(term)?;
        if doc_freq > 0 {
            scored.insert(text.to_owned(), 1.0 / (1.0 + doc_freq as Score));
        }
    }
    let analyzer = highlighter(scored.keys().map(String::as_str));
    Ok(SnippetGenerator::new(scored, analyzer, field, chars))
}

/// Lower-case word starts of a query, to look for in a text.
pub(crate) fn needles(words: &str) -> Vec<String> {
    words
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3 && !matches!(*w, "AND" | "OR" | "NOT"))
        .map(|w| w.to_lowercase().chars().take(5).collect())
        .collect()
}

/// The part of a long text around the first place a query word seems to occur, so that
/// snippets analyse a window rather than a whole report: stemming every word of every hit
/// would cost more than the search itself.
pub(crate) fn window<'t>(text: &'t str, needles: &[String]) -> &'t str {
    const SPAN: usize = 3 * SNIPPET_CHARS;
    if text.len() <= SPAN {
        return text;
    }
    let lower = text.to_ascii_lowercase();
    let first = needles
        .iter()
        .filter_map(|n| word_start(&lower, n))
        .min()
        .unwrap_or(0);
    let mut start = first.saturating_sub(SPAN / 3);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (start + SPAN).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    &text[start..end]
}

/// Where `needle` first occurs at the start of a word of `text`.
fn word_start(text: &str, needle: &str) -> Option<usize> {
    text.match_indices(needle).map(|(at, _)| at).find(|&at| {
        text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
    })
}

/// A snippet as HTML: escaped text with matches in `<mark>`.
pub(crate) fn highlighted(mut snippet: Snippet) -> String {
    snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
    snippet.to_html()
}

/// The start of a text, cut at a word boundary, escaped: the snippet when nothing is highlighted.
pub(crate) fn opening(text: &str) -> String {
    let mut cut = String::new();
    for word in text.split_whitespace() {
        if cut.len() + word.len() > SNIPPET_CHARS {
            cut.push('…');
            break;
        }
        if !cut.is_empty() {
            cut.push(' ');
        }
        cut.push_str(word);
    }
    escape(&cut)
}

pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}
