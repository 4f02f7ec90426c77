//! Groups of words that mean the same thing, read as the query analyzer reads them.

use crate::analyzer;
use rustc_hash::FxHashMap;

/// Words or phrases a group holds at most: a group is a handful of ways to say one thing.
pub const MAX_GROUP: usize = 24;
/// Words a phrase of a group holds at most.
pub const MAX_WORDS: usize = 6;

/// Why a thesaurus cannot be used, with the group at fault (counted from 0).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct ThesaurusError {
    pub group: usize,
    pub reason: String,
}

/// One way to say a thing: as written (to show the reader) and as the index reads it.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    pub(crate) text: String,
    pub(crate) tokens: Vec<String>,
}

/// Groups of words and phrases that mean the same thing in communication mistakes.
#[derive(Clone, Debug, Default)]
pub struct Thesaurus {
    groups: Vec<Vec<Entry>>,
    /// A phrase's tokens → its group.
    group_of: FxHashMap<Vec<String>, usize>,
    /// The longest phrase, in tokens, that starts with a token.
    longest_from: FxHashMap<String, usize>,
}

/// A stretch of a query's words that one group holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Found {
    /// Where the stretch starts, in the tokens searched.
    pub(crate) start: usize,
    pub(crate) len: usize,
    pub(crate) group: usize,
}

impl Thesaurus {
    /// Reads groups of words; a group must have at least two ways of saying its thing, at most
    /// [`MAX_GROUP`], and no phrase may belong to two groups.
    pub fn new(groups: &[Vec<String>]) -> Result<Self, ThesaurusError> {
        let mut analyzer = analyzer::query_analyzer();
        let mut thesaurus = Self::default();
        for (index, words) in groups.iter().enumerate() {
            let fail = |reason: String| ThesaurusError {
                group: index,
                reason,
            };
            if words.len() > MAX_GROUP {
                return Err(fail(format!(
                    "a group holds at most {MAX_GROUP} words or phrases, this one {}",
                    words.len()
                )));
            }
            let mut entries: Vec<Entry> = Vec::with_capacity(words.len());
            for word in words {
                let text = word.trim();
                if text.is_empty() {
                    return Err(fail("a word or phrase is empty".to_owned()));
                }
                if entries.iter().any(|e| e.text.eq_ignore_ascii_case(text)) {
                    return Err(fail(format!("\"{text}\" is in this group twice")));
                }
                let tokens = analyzer::tokens(&mut analyzer, text);
                if tokens.is_empty() {
                    return Err(fail(format!("\"{text}\" has no word in it")));
                }
                if tokens.len() > MAX_WORDS {
                    return Err(fail(format!("\"{text}\" is longer than {MAX_WORDS} words")));
                }
                match thesaurus.group_of.get(&tokens) {
                    // Two spellings that read alike ("anonymise", "anonymised") are one.
                    Some(&group) if group == index => {}
                    Some(&group) => {
                        return Err(fail(format!(
                            "\"{text}\" is already in group {} ({})",
                            group + 1,
                            thesaurus.shown(group)
                        )));
                    }
                    None => {
                        thesaurus.group_of.insert(tokens.clone(), index);
                        let longest = thesaurus.longest_from.entry(tokens[0].clone()).or_default();
                        *longest = (*longest).max(tokens.len());
                    }
                }
                entries.push(Entry {
                    text: text.to_owned(),
                    tokens,
                });
            }
            let distinct = {
                let mut all: Vec<&Vec<String>> = entries.iter().map(|e| &e.tokens).collect();
                all.sort();
                all.dedup();
                all.len()
            };
            if distinct < 2 {
                return Err(fail(
                    "a group needs at least two different words or phrases".to_owned(),
                ));
            }
            thesaurus.groups.push(entries);
        }
        Ok(thesaurus)
    }

    /// How many groups it holds.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The group (counted from 0) that holds `phrase` as the query analyzer reads it, if any:
    /// "Blind copies" is held by the group of "blind copy".
    pub fn group_holding(&self, phrase: &str) -> Option<usize> {
        let tokens = analyzer::tokens(&mut analyzer::query_analyzer(), phrase);
        self.group_of.get(&tokens).copied()
    }

    fn shown(&self, group: usize) -> String {
        self.groups
            .get(group)
            .and_then(|entries| entries.first())
            .map(|e| e.text.clone())
            .unwrap_or_default()
    }

    /// The stretches of `tokens` that a group holds, longest first from left to right, never
    /// overlapping.
    pub(crate) fn find(&self, tokens: &[&str]) -> Vec<Found> {
        let mut found = Vec::new();
        let mut start = 0;
        while start < tokens.len() {
            let longest = self
                .longest_from
                .get(tokens[start])
                .copied()
                .unwrap_or(0)
                .min(tokens.len() - start);
            let hit = (1..=longest).rev().find_map(|len| {
                let key: Vec<String> = tokens[start..start + len]
                    .iter()
                    .map(|t| (*t).to_owned())
                    .collect();
                self.group_of
                    .get(&key)
                    .map(|&group| Found { start, len, group })
            });
            match hit {
                Some(hit) => {
                    start += hit.len;
                    found.push(hit);
                }
                None => start += 1,
            }
        }
        found
    }

    /// The other ways of saying what `typed` says in `group`: one entry per distinct reading.
    pub(crate) fn others<'a>(&'a self, group: usize, typed: &[&str]) -> Vec<&'a Entry> {
        let mut seen: Vec<&[String]> = Vec::new();
        self.groups
            .get(group)
            .into_iter()
            .flatten()
            .filter(|entry| {
                let same = entry
                    .tokens
                    .iter()
                    .map(String::as_str)
                    .eq(typed.iter().copied());
                if same || seen.contains(&entry.tokens.as_slice()) {
                    return false;
                }
                seen.push(&entry.tokens);
                true
            })
            .collect()
    }

    /// Every way of saying something that the thesaurus knows, for suggesting spellings.
    pub(crate) fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.groups.iter().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(groups: &[&[&str]]) -> Vec<Vec<String>> {
        groups
            .iter()
            .map(|g| g.iter().map(|w| (*w).to_owned()).collect())
            .collect()
    }

    #[test]
    fn finds_the_longest_phrase_first() -> Result<(), ThesaurusError> {
        let thesaurus = Thesaurus::new(&groups(&[
            &["bcc", "blind copy", "blind carbon copy"],
            &["copy", "duplicate"],
        ]))?;
        let found = thesaurus.find(&["a", "blind", "carbon", "copi", "copi"]);
        assert_eq!(
            found,
            vec![
                Found {
                    start: 1,
                    len: 3,
                    group: 0
                },
                Found {
                    start: 4,
                    len: 1,
                    group: 1
                }
            ]
        );
        let others: Vec<&str> = thesaurus
            .others(0, &["blind", "carbon", "copi"])
            .iter()
            .map(|e| e.text.as_str())
            .collect();
        assert_eq!(others, ["bcc", "blind copy"]);
        Ok(())
    }

    #[test]
    fn bad_groups_are_named() {
        let one = Thesaurus::new(&groups(&[&["a", "b"], &["lonely"]]));
        assert_eq!(one.err().map(|e| e.group), Some(1));
        let same_reading = Thesaurus::new(&groups(&[&["email", "e-mail"]]));
        assert!(
            same_reading.is_err(),
            "two spellings of one word are not a group"
        );
        let held = Thesaurus::new(&groups(&[&["cc", "carbon copy"], &["bcc", "blind copy"]]));
        let held = held.ok();
        assert_eq!(
            held.as_ref().and_then(|t| t.group_holding("Blind copies")),
            Some(1)
        );
        assert_eq!(held.as_ref().and_then(|t| t.group_holding("copy")), None);
        let twice =
            Thesaurus::new(&groups(&[&["bcc", "blind copy"], &["cc", "Blind copies"]])).err();
        assert_eq!(twice.as_ref().map(|e| e.group), Some(1));
        assert!(twice.is_some_and(|e| e.reason.contains("group 1 (bcc)")));
        let huge: Vec<String> = (0..10_000).map(|n| format!("word{n}")).collect();
        let error = Thesaurus::new(&[huge]).err();
        assert!(error.is_some_and(|e| e.reason.contains("at most")));
    }
}
