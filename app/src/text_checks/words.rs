//! The text as words, each with what the name detector needs to know about where it stands:
//! its capital, its sentence, and what separates it from the word before.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::lexicon::{self, key};

static WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['’-][\p{L}\p{M}\p{N}]+)*")
        .expect("the word pattern is valid: every names test runs it")
});

/// One word of the text, and what the detector needs to know about where it stands.
pub(super) struct Word<'t> {
    /// The word without a possessive "'s", which stays out of a redaction.
    pub range: Range<usize>,
    pub text: &'t str,
    pub key: String,
    pub possessive: bool,
    /// Only spaces separate it from the word before (or a title's full stop: "Dr. Okafor").
    pub joined: bool,
    pub after_comma: bool,
    pub starts_sentence: bool,
    /// Its sentence is a heading in title case, where capitals say little.
    pub title_case: bool,
    /// Never a name: not capitalised, a day, a role, a department, a listed phrase…
    pub blocked: bool,
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{a0}')
}

/// The words of `text`, in order.
pub(super) fn words(text: &str) -> Vec<Word<'_>> {
    let mut words: Vec<Word> = Vec::new();
    let mut previous_end = 0;
    for m in WORD.find_iter(text) {
        let full = m.as_str();
        let bare = full.strip_suffix("'s").or_else(|| full.strip_suffix("’s"));
        let (bare, possessive) = bare.map_or((full, false), |b| (b, true));
        let gap = &text[previous_end..m.start()];
        let abbreviated = words
            .last()
            .is_some_and(|p| lexicon::ABBREVIATIONS.has(&p.key))
            && gap
                .strip_prefix('.')
                .is_some_and(|g| !g.is_empty() && g.chars().all(is_space));
        let capitalised = bare.chars().count() > 1
            && bare.starts_with(char::is_uppercase)
            && bare.chars().any(char::is_lowercase);
        let key = key(bare);
        words.push(Word {
            range: m.start()..m.start() + bare.len(),
            text: bare,
            possessive,
            joined: abbreviated || (!gap.is_empty() && gap.chars().all(is_space)),
            after_comma: gap.trim_matches(is_space) == ",",
            starts_sentence: words.is_empty()
                || (!abbreviated && gap.contains(['.', '!', '?', ':', ';', '\n'])),
            title_case: false,
            blocked: !capitalised
                || [
                    &lexicon::CALENDAR,
                    &lexicon::ROLES,
                    &lexicon::DEPARTMENTS,
                    &lexicon::BODIES,
                ]
                .iter()
                .any(|list| list.has(&key)),
            key,
        });
        previous_end = m.end();
    }
    mark_title_case(&mut words);
    words
}

/// "Reply-All Sent To The Whole List": a sentence of three or more words, at least three in
/// four capitalised.
fn mark_title_case(words: &mut [Word]) {
    let mut start = 0;
    while start < words.len() {
        let end = (start + 1..words.len())
            .find(|&i| words[i].starts_sentence)
            .unwrap_or(words.len());
        let lettered = words[start..end]
            .iter()
            .filter(|w| w.text.starts_with(char::is_alphabetic));
        let (count, capitals) = lettered.fold((0, 0), |(n, c), w| {
            (
                n + 1,
                c + usize::from(w.text.starts_with(char::is_uppercase)),
            )
        });
        let title_case = count >= 3 && capitals * 4 >= count * 3;
        for word in &mut words[start..end] {
            word.title_case = title_case;
        }
        start = end;
    }
}
