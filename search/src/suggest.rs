//! Words the index does not hold: the closest words it does hold, or the thesaurus knows.
//!
//! The texts' words are also indexed unstemmed in a field of their own, so that a typo is
//! compared with words as people write them ("recipeint" with "recipient"), not with stems.

use std::collections::HashMap;

use tantivy::{Searcher, Term, query::FuzzyTermQuery};

use crate::{analyzer, error::Result, index::SearchIndex, reading::Reading};

/// Words shorter than this are not corrected: too many words are one letter away.
const SHORTEST: usize = 4;
/// Suggestions offered for a search that found nothing.
const SUGGESTIONS: usize = 3;
/// Words this long or longer may have two typos and still be searched for at once.
const LONG: usize = 8;

/// How far from a word typed a known word may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Distance {
    /// Close enough to search for instead, at once: a slip of one letter, two in a long word.
    Typo,
    /// Close enough to offer when nothing was found: two letters.
    Suggestion,
}

impl SearchIndex {
    /// Whether the index or the thesaurus knows this (stemmed) token.
    pub(crate) fn is_known(&self, searcher: &Searcher, token: &str) -> Result<bool> {
        for (field, _) in self.fields.text_with_boosts() {
            if searcher.doc_freq(&Term::from_field_text(field, token))? > 0 {
                return Ok(true);
            }
        }
        Ok(self
            .thesaurus()
            .entries()
            .any(|entry| entry.tokens.iter().any(|t| t == token)))
    }

    /// The known words closest to `word` as typed, closest and then most frequent first, at
    /// most `distance` edits away (a swap of two letters counting as one).
    pub(crate) fn closest_words(
        &self,
        searcher: &Searcher,
        word: &str,
        distance_kind: Distance,
        limit: usize,
    ) -> Result<Vec<String>> {
        let mut words = analyzer::words_analyzer();
        let Ok([word]) = <[String; 1]>::try_from(analyzer::tokens(&mut words, word)) else {
            return Ok(Vec::new());
        };
        let length = word.chars().count();
        if length < SHORTEST {
            return Ok(Vec::new());
        }
        let distance: u8 = match distance_kind {
            Distance::Typo if length < LONG => 1,
            Distance::Typo | Distance::Suggestion => 2,
        };
        let field = self.fields.spelling;
        let automaton =
            FuzzyTermQuery::new(Term::from_field_text(field, &word), distance, true).automaton()?;
        let mut found: HashMap<String, u64> = HashMap::new();
        for reader in searcher.segment_readers() {
            let inverted = reader.inverted_index(field)?;
            let mut stream = inverted.terms().search(&automaton).into_stream()?;
            while stream.advance() {
                if let Ok(text) = std::str::from_utf8(stream.key()) {
                    *found.entry(text.to_owned()).or_default() +=
                        u64::from(stream.value().doc_freq);
                }
            }
        }
        for entry in self.thesaurus().entries() {
            let text = entry.text.to_lowercase();
            if !text.contains(' ') && edit_distance(&word, &text) <= usize::from(distance) {
                found.entry(text).or_default();
            }
        }
        found.remove(&word);
        // A slip rarely changes a word's first letter; a suggestion only offered may.
        if distance_kind == Distance::Typo {
            found.retain(|text, _| text.chars().next() == word.chars().next());
        }
        let mut ranked: Vec<(usize, u64, String)> = found
            .into_iter()
            .map(|(text, count)| (edit_distance(&word, &text), count, text))
            .collect();
        ranked.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        Ok(ranked
            .into_iter()
            .take(limit)
            .map(|(_, _, text)| text)
            .collect())
    }

    /// Other searches to offer when one found nothing: the query with each word the index
    /// does not know replaced by the closest that it does.
    pub(crate) fn did_you_mean(
        &self,
        searcher: &Searcher,
        reading: &Reading,
    ) -> Result<Vec<String>> {
        let mut analyzer = analyzer::query_analyzer();
        let parts: Vec<&str> = reading
            .wanted
            .iter()
            .flatten()
            .map(|part| part.text.as_str())
            .collect();
        let mut suggestions: Vec<String> = Vec::new();
        for (at, part) in parts.iter().enumerate() {
            let tokens = analyzer::tokens(&mut analyzer, part);
            let unknown = match tokens.as_slice() {
                [token] => !self.is_known(searcher, token)?,
                _ => false,
            };
            if !unknown {
                continue;
            }
            for closest in self.closest_words(searcher, part, Distance::Suggestion, SUGGESTIONS)? {
                let mut words: Vec<&str> = parts.clone();
                words[at] = &closest;
                let suggestion = words.join(" ");
                if !suggestions.contains(&suggestion) {
                    suggestions.push(suggestion);
                }
            }
        }
        suggestions.truncate(SUGGESTIONS);
        Ok(suggestions)
    }
}

/// Edits from `a` to `b`, a swap of two neighbouring letters counting as one.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::edit_distance;

    #[test]
    fn a_swap_is_one_edit() {
        assert_eq!(edit_distance("recipeint", "recipient"), 1);
        assert_eq!(edit_distance("embrago", "embargo"), 1);
        assert_eq!(edit_distance("acronymns", "acronyms"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
