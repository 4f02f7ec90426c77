//! Turning published text into the terms a theme is made of: stemmed words and short phrases,
//! each remembered with the words people actually wrote.

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Language, RawTokenizer, Stemmer, TextAnalyzer, TokenStream};

use super::{
    term_set::{self, TermSet},
    version::{ANALYZER_CODE, Fingerprint},
};

/// Words that carry grammar, not meaning: never a term alone, never the edge of a phrase.
const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at",
    "be", "been", "before", "being", "but", "by", "can", "could", "did", "do", "does", "done",
    "for", "from", "had", "has", "have", "he", "her", "here", "him", "his", "how", "i", "if", "in",
    "into", "is", "it", "its", "just", "me", "more", "my", "no", "not", "now", "of", "off", "on",
    "once", "one", "only", "or", "our", "out", "over", "own", "she", "should", "so", "some",
    "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those",
    "to", "too", "up", "us", "very", "was", "we", "were", "what", "when", "where", "which",
    "while", "who", "whom", "why", "will", "with", "would", "you", "your", "s", "t",
];

/// Stop words that may sit at the edge of a phrase, because they change its meaning:
/// "reply all", "to field", "sign off".
const MEANINGFUL_PARTICLES: &[&str] = &["all", "to", "out", "off", "up", "in", "on"];

/// Words among the most frequent of ordinary English are filler: they never make a term on
/// their own, though they may complete a phrase.
const FILLER_RANK: usize = 300;

/// What one word of a text is, for counting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WordClass {
    Stop,
    Particle,
    Filler,
    Content,
}

/// A term's stems, packed: up to [`MAX_STEMS`] stem ids of [`ID_BITS`] bits, the first in the
/// lowest bits; 0 ends it. Terms are counted by these numbers, never by strings, so that a
/// collection of a million reports keeps no string per phrase.
pub(crate) type Key = u128;
/// How a term was written: up to three word ids of [`ID_BITS`] bits, packed the same way.
pub(crate) type Written = u64;

pub(crate) const ID_BITS: u32 = 21;
/// Ids are numbered from 1 (0 ends a packed list), below this.
const ID_LIMIT: u32 = 1 << ID_BITS;
const MAX_STEMS: u32 = 6;
const ID_MASK: u128 = (1 << ID_BITS) - 1;

/// The ids packed in a key or a writing, in order.
pub(crate) fn unpack(packed: u128) -> impl Iterator<Item = u32> {
    let mut rest = packed;
    std::iter::from_fn(move || {
        let id = (rest & ID_MASK) as u32;
        rest >>= ID_BITS;
        (id != 0).then_some(id)
    })
}

/// The stems of the English word frequency list, with their ranks, and a cache of words met.
pub struct Words {
    stemmer: TextAnalyzer,
    /// Each word met, lower-cased, by its id in `entries` (ids from 1).
    ids: FxHashMap<String, u32>,
    /// The same for words written in up to 15 ASCII characters, by [`packed`] spelling.
    short_ids: FxHashMap<u128, u32>,
    entries: Vec<Entry>,
    /// Each stem met, by its id in `stems` (ids from 1).
    stem_ids: FxHashMap<String, u32>,
    stems: Vec<Stem>,
    /// Reused for lower-casing, so that a word already met allocates nothing.
    lower: String,
    ranks: FxHashMap<String, usize>,
    /// How many words the frequency list holds: a word missing from it is rarer than all.
    listed: usize,
    /// What this analyzer makes of text, as a number: see [`Words::analyzer_version`].
    version: i64,
}

struct Stem {
    text: String,
    informativeness: f64,
}

struct Entry {
    surface: String,
    /// Its stems (several for a compound); 0 when they do not fit a key, and it makes no term.
    key: Key,
    stems: u32,
    /// Its stems written out are longer than one letter.
    long: bool,
    class: WordClass,
}

/// One word of a text, by its id.
#[derive(Clone, Copy)]
struct Word<'t> {
    id: u32,
    entry: &'t Entry,
}

impl Word<'_> {
    fn is_content(&self) -> bool {
        self.entry.class == WordClass::Content
    }
    fn may_edge_phrase(&self) -> bool {
        self.entry.class != WordClass::Stop
    }
}

const FREQUENCY_LIST: &str = include_str!("../../data/english-frequency.txt");

impl Default for Words {
    fn default() -> Self {
        Self::new()
    }
}

impl Words {
    pub fn new() -> Self {
        let mut words = Self {
            stemmer: TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(Language::English))
                .build(),
            ids: FxHashMap::default(),
            short_ids: FxHashMap::default(),
            entries: vec![Entry {
                surface: String::new(),
                key: 0,
                stems: 0,
                long: false,
                class: WordClass::Stop,
            }],
            stem_ids: FxHashMap::default(),
            stems: vec![Stem {
                text: String::new(),
                informativeness: 0.0,
            }],
            lower: String::new(),
            ranks: FxHashMap::default(),
            listed: 0,
            version: 0,
        };
        let listed: Vec<&str> = FREQUENCY_LIST
            .lines()
            .filter(|line| !line.trim_start().starts_with('#'))
            .flat_map(str::split_whitespace)
            .collect();
        words.listed = listed.len();
        let mut version = Fingerprint::new();
        version.add(&ANALYZER_CODE.to_le_bytes());
        for list in [STOP_WORDS, MEANINGFUL_PARTICLES] {
            for word in list {
                version.add(word.as_bytes());
            }
        }
        version.add(&[term_set::FORMAT]);
        for number in [FILLER_RANK as u64, MAX_STEMS.into(), ID_BITS.into()] {
            version.add(&number.to_le_bytes());
        }
        for (rank, word) in listed.into_iter().enumerate() {
            let stem = words.stem_of(&word.to_lowercase());
            // The stems of the list stand for the stemmer: a new one changes some of them.
            version.add(word.as_bytes());
            version.add(stem.as_bytes());
            words.ranks.entry(stem).or_insert(rank + 1);
        }
        words.version = version.value();
        words
    }

    /// What this analyzer makes of text, as a number stored beside each report's term set:
    /// it changes with the code's [`ANALYZER_CODE`], the word lists, the frequency list and
    /// the stemmer, and a term set stored by another one is computed again from the text.
    pub fn analyzer_version(&self) -> i64 {
        self.version
    }

    /// The terms of a text, each once in the order it first wrote them, as they are stored
    /// between runs.
    pub fn term_set(&mut self, text: &str) -> TermSet {
        let mut found = Vec::new();
        self.keys(text, |key, written| found.push((key, written)));
        term_set::encode(self, &found)
    }

    fn stem_of(&mut self, word: &str) -> String {
        let mut stream = self.stemmer.token_stream(word);
        if stream.advance() {
            stream.token().text.clone()
        } else {
            word.to_owned()
        }
    }

    /// How common a stem is in ordinary English: its rank in the frequency list, or just past
    /// the list's end when it is not there.
    pub fn english_rank(&self, stem: &str) -> usize {
        self.ranks.get(stem).copied().unwrap_or(self.listed * 2)
    }

    /// How much a stem says beyond ordinary language: 0 for the most frequent words, growing
    /// with the logarithm of its rank, so that a word rarer than the whole list weighs most.
    pub fn informativeness(&self, stem: &str) -> f64 {
        let rank = self.english_rank(stem) as f64;
        (rank / FILLER_RANK as f64).ln().max(0.0)
    }

    /// The id of a stem, given the first time it is met; 0 when there are too many to count.
    fn stem_id(&mut self, stem: String) -> u32 {
        if let Some(id) = self.stem_ids.get(&stem) {
            return *id;
        }
        let id = self.stems.len() as u32;
        if id >= ID_LIMIT {
            return 0;
        }
        self.stems.push(Stem {
            informativeness: self.informativeness(&stem),
            text: stem.clone(),
        });
        self.stem_ids.insert(stem, id);
        id
    }

    /// The id of a word as written, classified and stemmed the first time it is met.
    pub(crate) fn word(&mut self, written: &str) -> u32 {
        // Most words are short and ASCII: looked up by their lower-cased bytes in one number,
        // without copying or comparing strings.
        let short = packed(written);
        if let Some(id) = short.and_then(|packed| self.short_ids.get(&packed)) {
            return *id;
        }
        let id = self.word_slowly(written);
        if let Some(packed) = short {
            self.short_ids.insert(packed, id);
        }
        id
    }

    fn word_slowly(&mut self, written: &str) -> u32 {
        self.lower.clear();
        if written.is_ascii() {
            self.lower.push_str(written);
            self.lower.make_ascii_lowercase();
        } else {
            self.lower
                .extend(written.chars().flat_map(char::to_lowercase));
        }
        if let Some(id) = self.ids.get(self.lower.as_str()) {
            return *id;
        }
        let surface = self.lower.clone();
        let (stems, class) = self.classify(&surface);
        let id = self.entries.len() as u32;
        let long = stems.len() > 1 || stems.first().is_some_and(|s| s.len() > 1);
        let mut key: Key = 0;
        let fits = id < ID_LIMIT && stems.len() as u32 <= MAX_STEMS;
        for (i, stem) in stems.into_iter().enumerate() {
            let stem = self.stem_id(stem);
            key |= u128::from(stem) << (ID_BITS * i as u32);
            if stem == 0 {
                key = 0;
                break;
            }
        }
        let key = if fits { key } else { 0 };
        self.entries.push(Entry {
            surface: surface.clone(),
            stems: unpack(key).count() as u32,
            key,
            long,
            class,
        });
        self.ids.insert(surface, id);
        id
    }

    fn classify(&mut self, surface: &str) -> (Vec<String>, WordClass) {
        // A hyphenated compound is one idea told by its parts: "reply-all" is "reply all", as
        // is "replied all"; parts of one letter ("e-mail") join instead.
        let parts: Vec<&str> = surface.split('-').filter(|p| !p.is_empty()).collect();
        if parts.len() > 1 && parts.iter().all(|p| p.len() > 1) {
            let stems = parts.iter().map(|part| self.stem_of(part)).collect();
            return (stems, WordClass::Content);
        }
        let joined: String = parts.concat();
        let class = if STOP_WORDS.contains(&joined.as_str()) {
            if MEANINGFUL_PARTICLES.contains(&joined.as_str()) {
                WordClass::Particle
            } else {
                WordClass::Stop
            }
        } else {
            WordClass::Content
        };
        let stem = self.stem_of(&joined);
        let class = match class {
            WordClass::Content if self.english_rank(&stem) <= FILLER_RANK => WordClass::Filler,
            other => other,
        };
        (vec![stem], class)
    }

    /// The terms of a text, with the words as written: content words, two-word phrases within
    /// a clause whose edges are not bare grammar, and three-word ones around a particle
    /// ("reply to all"). A term may come more than once.
    pub fn terms(&mut self, text: &str, mut found: impl FnMut(&str, &str)) {
        let mut pairs = Vec::new();
        self.keys(text, |key, written| pairs.push((key, written)));
        for (key, written) in pairs {
            found(&self.key_text(key), &self.written_text(written));
        }
    }

    /// The terms of a text as numbers: each term's stems and how it was written.
    pub(crate) fn keys(&mut self, text: &str, mut found: impl FnMut(Key, Written)) {
        let mut clause: Vec<u32> = Vec::new();
        for segment in text.split(is_clause_break) {
            clause.clear();
            for written in segment.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
            {
                let mut written = written.trim_matches(|c: char| c == '-' || c == '\'');
                while let Some(stripped) = strip_possessive(written) {
                    written = stripped;
                }
                if written.is_empty() || written.chars().all(|c| c.is_numeric() || c == '-') {
                    continue;
                }
                clause.push(self.word(written));
            }
            self.emit(&clause, &mut found);
        }
    }

    fn emit(&self, clause: &[u32], found: &mut impl FnMut(Key, Written)) {
        let entry = |id: u32| Word {
            id,
            entry: &self.entries[id as usize],
        };
        for (i, id) in clause.iter().enumerate() {
            let word = entry(*id);
            if word.is_content() && word.entry.long && word.entry.key != 0 {
                found(word.entry.key, Written::from(word.id));
            }
            let Some(next) = clause.get(i + 1).map(|id| entry(*id)) else {
                continue;
            };
            if word.may_edge_phrase()
                && next.may_edge_phrase()
                && (word.is_content() || next.is_content())
            {
                phrase(&[word, next], found);
            }
            // "reply to all", "out of office": two words around a particle.
            if let Some(last) = clause.get(i + 2).map(|id| entry(*id))
                && word.is_content()
                && next.entry.class == WordClass::Particle
                && last.may_edge_phrase()
                && last.entry.class != WordClass::Filler
            {
                phrase(&[word, next, last], found);
            }
        }
    }

    /// The stem ids of a key, each with how much it says beyond ordinary English.
    pub(crate) fn stem_informativeness(&self, stem: u32) -> f64 {
        self.stems
            .get(stem as usize)
            .map_or(0.0, |s| s.informativeness)
    }

    /// The stems of a writing: those of its words, in order.
    pub(crate) fn key_of(&self, written: Written) -> Key {
        let (mut key, mut stems) = (0u128, 0);
        for word in unpack(u128::from(written)) {
            let entry = &self.entries[word as usize];
            key |= entry.key << (ID_BITS * stems);
            stems += entry.stems;
        }
        key
    }

    /// The stems of a writing whose words may all stand in a term, as [`Words::keys`] makes
    /// them; `None` otherwise.
    pub(crate) fn key_of_checked(&self, written: Written) -> Option<Key> {
        let (mut key, mut stems) = (0u128, 0);
        for word in unpack(u128::from(written)) {
            let entry = self.entries.get(word as usize)?;
            if entry.key == 0 || stems + entry.stems > MAX_STEMS {
                return None;
            }
            key |= entry.key << (ID_BITS * stems);
            stems += entry.stems;
        }
        (key != 0).then_some(key)
    }

    /// A word as met, lower-cased.
    pub(crate) fn surface_of(&self, word: u32) -> &str {
        &self.entries[word as usize].surface
    }

    /// A key written out: its stems, space-separated.
    pub(crate) fn key_text(&self, key: Key) -> String {
        let mut text = String::new();
        for stem in unpack(key) {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&self.stems[stem as usize].text);
        }
        text
    }

    /// A writing written out: its words (lower-cased), space-separated.
    pub(crate) fn written_text(&self, written: Written) -> String {
        let mut text = String::new();
        for word in unpack(u128::from(written)) {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&self.entries[word as usize].surface);
        }
        text
    }
}

/// A word of up to 15 ASCII characters as one number: its length, then its bytes lower-cased.
fn packed(written: &str) -> Option<u128> {
    let bytes = written.as_bytes();
    if bytes.len() > 15 || !written.is_ascii() {
        return None;
    }
    let mut packed = bytes.len() as u128;
    for (i, byte) in bytes.iter().enumerate() {
        packed |= u128::from(byte.to_ascii_lowercase()) << (8 * (i + 1));
    }
    Some(packed)
}

/// Punctuation that ends a clause: no phrase spans it.
fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '"'
            | '\n'
            | '\r'
            | '\t'
            | '/'
            | '|'
            | '<'
            | '>'
            | '*'
            | '#'
            | '`'
            | '='
            | '+'
    )
}

/// A word without its possessive "'s", if it has one.
fn strip_possessive(word: &str) -> Option<&str> {
    let bytes = word.as_bytes();
    (bytes.len() >= 2 && bytes[bytes.len() - 2] == b'\'' && bytes[bytes.len() - 1] == b's')
        .then(|| &word[..word.len() - 2])
}

/// Hands on a phrase whose words all fit a key and a writing.
fn phrase(words: &[Word], found: &mut impl FnMut(Key, Written)) {
    let (mut key, mut written, mut stems) = (0u128, 0u64, 0u32);
    for (i, word) in words.iter().enumerate() {
        if word.entry.key == 0 || stems + word.entry.stems > MAX_STEMS {
            return;
        }
        key |= word.entry.key << (ID_BITS * stems);
        stems += word.entry.stems;
        written |= u64::from(word.id) << (ID_BITS * i as u32);
    }
    found(key, written);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<(String, String)> {
        let mut words = Words::new();
        let mut out = Vec::new();
        words.terms(text, |stem, surface| {
            out.push((stem.to_owned(), surface.to_owned()))
        });
        out
    }

    #[test]
    fn compounds_are_one_word_and_filler_is_no_term() {
        let found = terms("We hit Reply-all on the distribution lists.");
        let stems: Vec<&str> = found.iter().map(|(stem, _)| stem.as_str()).collect();
        assert!(stems.contains(&"repli all"), "{stems:?}");
        assert!(stems.contains(&"distribut list"), "{stems:?}");
        assert!(!stems.contains(&"the"), "{stems:?}");
        assert!(!stems.contains(&"we"), "{stems:?}");
        let surface = found.iter().find(|(stem, _)| stem == "repli all");
        assert_eq!(surface.map(|(_, s)| s.as_str()), Some("reply-all"));
    }

    #[test]
    fn phrases_stay_within_a_clause() {
        let found = terms("The letter went out. Jargon followed");
        assert!(
            terms("we hit reply to all")
                .iter()
                .any(|(stem, _)| stem == "repli to all")
        );
        assert!(!found.iter().any(|(stem, _)| stem.contains("out jargon")));
    }

    #[test]
    fn a_rare_word_weighs_more_than_a_common_one() {
        let words = Words::new();
        assert_eq!(words.informativeness("the"), 0.0);
        assert!(words.informativeness("embargo") > words.informativeness("letter"));
    }
}
