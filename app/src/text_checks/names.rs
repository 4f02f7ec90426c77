//! Likely personal names that nobody listed: given names from the shipped list, and capitalised
//! words where people are named ("my colleague Okafor", "Priya from legal").
//!
//! Capitals are the main clue, so most of this module is about where capitals mean something
//! else: the start of a sentence, a title-case heading, a place, a product, a holiday, a unit.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use super::lexicon::{self, Given, LEXICON, Words};
use super::words::{Word, words};

/// Phrases that are never a person's name, whatever their capitals: the organisation's unit
/// names, products, holidays. They match as whole words, in any case.
#[derive(Clone, Debug, Default)]
pub struct NotNames {
    /// Each phrase as looked-up words, filed under its first word.
    by_first: HashMap<String, Vec<Vec<String>>>,
}

impl NotNames {
    pub fn new<S: AsRef<str>>(phrases: impl IntoIterator<Item = S>) -> Self {
        let mut by_first: HashMap<String, Vec<Vec<String>>> = HashMap::new();
        for phrase in phrases {
            let keys: Vec<String> = words(phrase.as_ref()).into_iter().map(|w| w.key).collect();
            if let Some(first) = keys.first() {
                by_first.entry(first.clone()).or_default().push(keys);
            }
        }
        Self { by_first }
    }

    /// How many words, from `at`, one of the phrases covers.
    fn covers(&self, words: &[Word], at: usize) -> usize {
        self.by_first
            .get(&words[at].key)
            .into_iter()
            .flatten()
            .filter(|phrase| {
                phrase.len() <= words.len() - at
                    && phrase.iter().zip(&words[at..]).all(|(k, w)| *k == w.key)
            })
            .map(Vec::len)
            .max()
            .unwrap_or(0)
    }
}

/// Byte ranges of likely personal names in `text`, sorted, never overlapping.
pub(super) fn find(text: &str, not_names: &[&NotNames]) -> Vec<Range<usize>> {
    let mut words = words(text);
    for list in not_names {
        let mut at = 0;
        while at < words.len() {
            let covered = list.covers(&words, at);
            for word in &mut words[at..at + covered] {
                word.blocked = true;
            }
            at += covered.max(1);
        }
    }
    // Names as first word → last word; they never overlap.
    let mut names: BTreeMap<usize, usize> = BTreeMap::new();
    let mut maybe = Vec::new();
    let mut at = 0;
    while at < words.len() {
        match judge(&words, at) {
            Verdict::Name(last) => {
                names.insert(at, last);
                at = last + 1;
                continue;
            }
            Verdict::Maybe(last, tier) => maybe.push((at, last, tier)),
            Verdict::No => {}
        }
        at += 1;
    }
    // A name found once is a name again ("Rob told Frank. Frank told nobody."), and an
    // ambiguous given name beside a name is one too ("Mark and Sarah").
    let known: HashSet<&str> = names
        .iter()
        .flat_map(|(&first, &last)| &words[first..=last])
        .map(|w| w.key.as_str())
        .collect();
    let is_and = |i: usize| words.get(i).is_some_and(|w| w.joined && w.text == "and");
    let joined_at = |i: usize| words.get(i).is_some_and(|w| w.joined);
    let last_before = |names: &BTreeMap<usize, usize>, i: usize| {
        names.range(..=i).next_back().map(|(_, &last)| last)
    };
    for (first, last, tier) in maybe {
        let after = is_and(last + 1) && joined_at(last + 2) && names.contains_key(&(last + 2));
        let before = first >= 2
            && joined_at(first)
            && is_and(first - 1)
            && last_before(&names, first - 2) == Some(first - 2);
        // "Will Smith … Will anyone check?": the word still opens sentences as a word.
        let again = known.contains(words[first].key.as_str())
            && !(tier == Some(Given::InContext) && words[first].starts_sentence);
        let free = last_before(&names, last).is_none_or(|end| end < first);
        if free && (again || (tier.is_some() && (after || before))) {
            names.insert(first, last);
        }
    }
    names
        .into_iter()
        .map(|(first, last)| words[first].range.start..words[last].range.end)
        .collect()
}

enum Verdict {
    /// A name from this word to the word at the index.
    Name(usize),
    /// A capitalised word, or a given name that is also an ordinary word, with nothing here to
    /// say which it is: a name if it is one elsewhere in the text.
    Maybe(usize, Option<Given>),
    No,
}

fn judge(words: &[Word], at: usize) -> Verdict {
    let word = &words[at];
    if word.blocked {
        return Verdict::No;
    }
    let tier = LEXICON.given(&word.key);
    let before = at.checked_sub(1).map(|i| &words[i]).filter(|_| word.joined);
    let before_is = |list: &Words| before.is_some_and(|b| list.has(&b.key));
    let is_number = |w: &Word| w.text.starts_with(|c: char| c.is_ascii_digit());
    let month = lexicon::MONTHS.has(&word.key);
    let next_is_number = words.get(at + 1).is_some_and(|n| n.joined && is_number(n));
    if before_is(&lexicon::NOT_BEFORE_NAMES)
        || (month && (before_is(&lexicon::BEFORE_DATES) || before.is_some_and(is_number)))
        || (month && next_is_number)
    {
        return Verdict::No;
    }
    let (last, surname) = extend(words, at);
    let next = words.get(last + 1).filter(|n| n.joined);
    if !words[last].possessive && next.is_some_and(|n| lexicon::BODIES.has(&n.key)) {
        return Verdict::No;
    }
    let starts = word.starts_sentence || word.title_case;
    let role = !word.title_case
        && (word.joined || word.after_comma)
        && at
            .checked_sub(1)
            .is_some_and(|i| lexicon::ROLES.has(&words[i].key));
    let department = in_department(words, last);
    let possessive = words[last].possessive;
    let context = role || department || surname;
    let name = match tier {
        Some(Given::Always) => true,
        Some(Given::MidSentence) => context || possessive || !starts,
        Some(Given::InContext) => context || (possessive && !month),
        // At the start of a sentence, only a known surname: "O'Brien from legal", not "Staff in HR".
        None => {
            role || (department
                && (!starts || LEXICON.is_surname(&word.key))
                && !before_is(&lexicon::NOT_BEFORE_PEOPLE))
        }
    };
    if name {
        Verdict::Name(last)
    } else {
        Verdict::Maybe(last, tier)
    }
}

/// The last word of the name that starts at `first`, taking in up to two more capitalised
/// words and any particles ("Jan van der Berg"), and whether they show it is a full name.
fn extend(words: &[Word], first: usize) -> (usize, bool) {
    let mut last = first;
    let mut surname = false;
    for _ in 0..2 {
        if words[last].possessive {
            break;
        }
        let mut next = last + 1;
        while next - last <= 2
            && words
                .get(next)
                .is_some_and(|w| w.joined && lexicon::PARTICLES.has(w.text))
        {
            next += 1;
        }
        let Some(word) = words.get(next).filter(|w| w.joined && !w.blocked) else {
            break;
        };
        let particle = next > last + 1;
        let known = LEXICON.is_surname(&word.key) || particle;
        // In a heading every word has a capital: only a known surname says it is one.
        if words[first].title_case && !known {
            break;
        }
        surname |= known;
        last = next;
    }
    (last, surname)
}

/// Whether "from legal", "in the press office" or "at comms" follows the word at `last`.
fn in_department(words: &[Word], last: usize) -> bool {
    let joined = |i: usize| words.get(i).filter(|w| w.joined);
    let Some(preposition) = joined(last + 1) else {
        return false;
    };
    if !matches!(preposition.text, "from" | "in" | "at") {
        return false;
    }
    let mut at = last + 2;
    if joined(at).is_some_and(|w| lexicon::NOT_BEFORE_NAMES.has(&w.key)) {
        at += 1;
    }
    // "in it" is not a department; "in IT" is.
    let department =
        |w: &Word| lexicon::DEPARTMENTS.has(&w.key) && (w.key != "it" || w.text == "IT");
    joined(at).is_some_and(department)
        || (joined(at).is_some() && joined(at + 1).is_some_and(department))
}
