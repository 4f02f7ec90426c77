//! Tokenising English text so that hyphenated words stay findable.
//!
//! "reply-all" and "e-mail" are one idea each. At index time such a compound is stored as its
//! joined form ("replyall", "email") and as its parts ("reply", "all"), all at one position, so
//! that phrases around it still line up. At query time it becomes the joined form only, which
//! then finds "reply-all", "replyall", "e-mail" and "email" alike.

use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::tokenizer::{
    Language, RawTokenizer, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer, TokenizerManager,
};

use crate::graded::STOP_WORDS;

/// The name under which both analyzers are registered.
pub const ANALYZER: &str = "kintsugi_en";
/// The name of the analyzer of words as written, for spelling.
pub const WORDS: &str = "kintsugi_words";
/// The name of the analyzer of word pairs that hold a common word (see [`pair`]).
pub const PAIRS: &str = "kintsugi_pairs";

/// Tokens this long (in bytes) or longer are left out, at index and query time alike.
const LONGEST: usize = 48;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Index,
    Query,
}

/// Splits words and compounds, leaves out over-long tokens, lower-cases and stems: what
/// tantivy's `RemoveLongFilter`, `LowerCaser` and `Stemmer` do after the split, in one pass
/// and with the stems of frequent words remembered, since stemming is most of the cost.
///
/// Indexing runs every word of every report through here, so nothing is allocated per word:
/// the tokens of the previous text keep their strings, which are overwritten in place.
#[derive(Clone)]
struct CompoundTokenizer {
    mode: Mode,
    tokens: Tokens,
    stems: Stems,
}

impl CompoundTokenizer {
    fn new(mode: Mode, stems: Stems) -> Self {
        Self {
            mode,
            tokens: Tokens::default(),
            stems,
        }
    }
}

/// The tokens of one text; `tokens` past `len` are spare, kept for their strings.
#[derive(Clone, Default)]
struct Tokens {
    tokens: Vec<Token>,
    len: usize,
    /// The byte ranges of a compound's parts, reused from word to word.
    parts: Vec<(usize, usize)>,
}

impl Tokens {
    fn clear(&mut self) {
        self.len = 0;
    }

    /// Adds a token whose text is the concatenation of `pieces`, unless it is over-long.
    fn push<'t>(
        &mut self,
        (offset_from, offset_to): (usize, usize),
        position: usize,
        pieces: impl Iterator<Item = &'t str> + Clone,
    ) {
        if pieces.clone().map(str::len).sum::<usize>() >= LONGEST {
            return;
        }
        if self.len == self.tokens.len() {
            self.tokens.push(Token::default());
        }
        let token = &mut self.tokens[self.len];
        token.offset_from = offset_from;
        token.offset_to = offset_to;
        token.position = position;
        token.position_length = 1;
        token.text.clear();
        pieces.for_each(|piece| token.text.push_str(piece));
        self.len += 1;
    }

    fn as_mut_slice(&mut self) -> &mut [Token] {
        &mut self.tokens[..self.len]
    }
}

/// Stems held at most, per tokenizer; words follow Zipf's law, so a few thousand cover most.
const STEMS_KEPT: usize = 20_000;

#[derive(Clone)]
struct Stems {
    stemmer: TextAnalyzer,
    /// When set, only words beginning with one of these letters are stemmed: stemming keeps
    /// a word's first letter, so for highlighting known terms the others need not be.
    firsts: Option<Vec<char>>,
    known: FxHashMap<String, String>,
}

impl Stems {
    fn new(firsts: Option<Vec<char>>) -> Self {
        Self {
            stemmer: TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(Language::English))
                .build(),
            firsts,
            known: FxHashMap::default(),
        }
    }

    /// Lower-cases (as `LowerCaser` does) and stems a token's text.
    fn apply(&mut self, token: &mut Token) {
        if token.text.is_ascii() {
            token.text.make_ascii_lowercase();
        } else {
            token.text = token.text.to_lowercase();
        }
        if let Some(firsts) = &self.firsts
            && token
                .text
                .chars()
                .next()
                .is_none_or(|c| firsts.binary_search(&c).is_err())
        {
            return;
        }
        if let Some(stem) = self.known.get(token.text.as_str()) {
            token.text.clear();
            token.text.push_str(stem);
            return;
        }
        let mut stream = self.stemmer.token_stream(&token.text);
        let stem = stream.advance().then(|| stream.token().text.clone());
        drop(stream);
        if let Some(stem) = stem {
            if self.known.len() >= STEMS_KEPT {
                self.known.clear();
            }
            let word = std::mem::replace(&mut token.text, stem);
            self.known.insert(word, token.text.clone());
        }
    }
}

struct CompoundTokenStream<'a> {
    tokens: &'a mut [Token],
    /// One past the current token; 0 before the first `advance`.
    next: usize,
}

impl Tokenizer for CompoundTokenizer {
    type TokenStream<'a> = CompoundTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CompoundTokenStream<'a> {
        self.tokens.clear();
        tokenize(text, self.mode, &mut self.tokens);
        let tokens = self.tokens.as_mut_slice();
        for token in tokens.iter_mut() {
            self.stems.apply(token);
        }
        CompoundTokenStream { tokens, next: 0 }
    }
}

impl TokenStream for CompoundTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next.saturating_sub(1)]
    }

    fn token_mut(&mut self) -> &mut Token {
        let current = self.next.saturating_sub(1);
        &mut self.tokens[current]
    }
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Splits `text` into words; words joined by single hyphens form one compound. Over-long
/// tokens are left out, as `RemoveLongFilter` would.
fn tokenize(text: &str, mode: Mode, out: &mut Tokens) {
    let mut position = 0;
    let mut chars = text.char_indices().peekable();
    let mut parts = std::mem::take(&mut out.parts);
    while let Some(&(start, c)) = chars.peek() {
        if !c.is_alphanumeric() {
            chars.next();
            continue;
        }
        // Collect the parts of one compound: word (hyphen word)*.
        parts.clear();
        let mut part_start = start;
        let mut end = start;
        while let Some(&(offset, c)) = chars.peek() {
            if c.is_alphanumeric() {
                end = offset + c.len_utf8();
                chars.next();
            } else if is_hyphen(c) {
                let mut lookahead = chars.clone();
                lookahead.next();
                match lookahead.peek() {
                    Some(&(next_offset, next)) if next.is_alphanumeric() => {
                        parts.push((part_start, end));
                        part_start = next_offset;
                        chars.next();
                    }
                    _ => break,
                }
            } else {
                break;
            }
        }
        parts.push((part_start, end));

        let piece = |&(a, b): &(usize, usize)| &text[a..b];
        // The whole (joined when a compound), then at index time each part of a compound.
        out.push((start, end), position, parts.iter().map(piece));
        if parts.len() > 1 && mode == Mode::Index {
            for &(a, b) in &parts {
                out.push((a, b), position, std::iter::once(&text[a..b]));
            }
        }
        position += 1;
    }
    out.parts = parts;
}

/// Pairs of neighbouring words of which one is common ("in the", "image for"), each at its
/// first word's position, as Lucene's common grams: a phrase of common words is then found
/// from the postings of its pairs, which are rare, instead of from the positions of every
/// lesson holding its words, which are many. Words at one position (a compound and its
/// parts) pair with each word of the next position.
#[derive(Clone)]
struct PairTokenizer {
    words: CompoundTokenizer,
    /// The common words, as the analyzer reads them.
    common: &'static FxHashSet<String>,
    pairs: Vec<Token>,
}

impl Tokenizer for PairTokenizer {
    type TokenStream<'a> = CompoundTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CompoundTokenStream<'a> {
        // Tokens past `len` are spare, kept for their strings (see `Tokens`).
        let mut len = 0;
        let words = self.words.token_stream(text).tokens;
        // Words are in order of position; `start` begins the run at the current one.
        let mut start = 0;
        while start < words.len() {
            let position = words[start].position;
            let end = start + words[start..].partition_point(|w| w.position == position);
            let next = end + words[end..].partition_point(|w| w.position == position + 1);
            for first in &words[start..end] {
                for second in &words[end..next] {
                    if !(self.common.contains(&first.text) || self.common.contains(&second.text)) {
                        continue;
                    }
                    if len == self.pairs.len() {
                        self.pairs.push(Token::default());
                    }
                    let token = &mut self.pairs[len];
                    token.offset_from = first.offset_from;
                    token.offset_to = second.offset_to;
                    token.position = position;
                    token.position_length = 1;
                    token.text.clear();
                    token.text.push_str(&first.text);
                    token.text.push(PAIR_SEPARATOR);
                    token.text.push_str(&second.text);
                    len += 1;
                }
            }
            start = end;
        }
        CompoundTokenStream {
            tokens: &mut self.pairs[..len],
            next: 0,
        }
    }
}

/// What joins two words in a pair's term: no token holds it.
const PAIR_SEPARATOR: char = ' ';

/// The term of two neighbouring words in the pairs field, as the tokenizer writes it.
pub fn pair(first: &str, second: &str) -> String {
    format!("{first}{PAIR_SEPARATOR}{second}")
}

/// Whether `token` (as the analyzer reads it) is common enough to be indexed in pairs.
pub fn is_common(token: &str) -> bool {
    common_tokens().contains(token)
}

/// The stop words as the analyzer reads them.
fn common_tokens() -> &'static FxHashSet<String> {
    static COMMON: OnceLock<FxHashSet<String>> = OnceLock::new();
    COMMON.get_or_init(|| {
        let mut analyzer = analyzer(Mode::Query);
        STOP_WORDS
            .iter()
            .flat_map(|word| tokens(&mut analyzer, word))
            .collect()
    })
}

fn pairs() -> TextAnalyzer {
    TextAnalyzer::from(PairTokenizer {
        words: CompoundTokenizer::new(Mode::Index, Stems::new(None)),
        common: common_tokens(),
        pairs: Vec::new(),
    })
}

fn analyzer(mode: Mode) -> TextAnalyzer {
    TextAnalyzer::from(CompoundTokenizer::new(mode, Stems::new(None)))
}

/// Words as written (lower-cased, not stemmed), for comparing a typo with known words.
fn words(mode: Mode) -> TextAnalyzer {
    TextAnalyzer::from(CompoundTokenizer::new(mode, Stems::new(Some(Vec::new()))))
}

/// The analyzers used to index documents (and to find snippet highlights).
pub fn index_tokenizers() -> TokenizerManager {
    let manager = TokenizerManager::default();
    manager.register(ANALYZER, analyzer(Mode::Index));
    manager.register(WORDS, words(Mode::Index));
    manager.register(PAIRS, pairs());
    manager
}

/// The analyzers used to read queries.
pub fn query_tokenizers() -> TokenizerManager {
    let manager = TokenizerManager::default();
    manager.register(ANALYZER, analyzer(Mode::Query));
    manager.register(WORDS, words(Mode::Query));
    manager
}

/// The query analyzer, on its own.
pub fn query_analyzer() -> TextAnalyzer {
    analyzer(Mode::Query)
}

/// The query's reading of words as written, unstemmed.
pub fn words_analyzer() -> TextAnalyzer {
    words(Mode::Query)
}

/// The tokens an analyzer reads in `text`.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    while stream.advance() {
        tokens.push(stream.token().text.clone());
    }
    tokens
}

/// The index analyzer's reading of a text, for highlighting the given terms (stems) in it:
/// words that cannot stem to one of them are left unstemmed.
pub fn highlighter<'t>(terms: impl IntoIterator<Item = &'t str>) -> TextAnalyzer {
    let mut firsts: Vec<char> = terms.into_iter().filter_map(|t| t.chars().next()).collect();
    firsts.sort_unstable();
    firsts.dedup();
    TextAnalyzer::from(CompoundTokenizer::new(
        Mode::Index,
        Stems::new(Some(firsts)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(mode: Mode, text: &str) -> Vec<(String, usize)> {
        let mut analyzer = analyzer(mode);
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push((stream.token().text.clone(), stream.token().position));
        }
        out
    }

    #[test]
    fn pairs_hold_a_common_word_and_line_up_with_the_words() {
        let mut pairs = pairs();
        let mut stream = pairs.token_stream("Sent in the e-mail to Finance staff");
        let mut out = Vec::new();
        while stream.advance() {
            out.push((stream.token().text.clone(), stream.token().position));
        }
        let expected = [
            ("sent in", 0),
            ("in the", 1),
            ("the email", 2),
            ("the e", 2),
            ("the mail", 2),
            ("email to", 3),
            ("e to", 3),
            ("mail to", 3),
            ("to financ", 4),
        ];
        // "finance staff": neither is common.
        assert_eq!(
            out,
            expected
                .iter()
                .map(|(t, p)| ((*t).to_owned(), *p))
                .collect::<Vec<_>>()
        );
        assert_eq!(pair("in", "the"), "in the");
        assert!(is_common("the") && is_common("with") && !is_common("email"));
        drop(stream);
        // A second text reuses the tokens without leaving the first's behind.
        let mut stream = pairs.token_stream("of it");
        assert!(stream.advance());
        assert_eq!(stream.token().text, "of it");
        assert!(!stream.advance());
    }

    #[test]
    fn compounds_are_indexed_whole_and_in_parts_at_one_position() {
        assert_eq!(
            texts(Mode::Index, "The reply-all button"),
            vec![
                ("the".into(), 0),
                ("replyal".into(), 1),
                ("repli".into(), 1),
                ("all".into(), 1),
                ("button".into(), 2)
            ]
        );
    }

    #[test]
    fn reads_as_tantivys_filters_would() {
        use tantivy::tokenizer::{LowerCaser, RemoveLongFilter};
        let text = "Replies to the REPLY-ALL: Emailing, e-mails and ÉTATS généraux; dying \
                    words, skies, early news. Replies again, emails again; \
                    Pneumonoultramicroscopicsilicovolcanoconiosislikewordsthatgoonandon x";
        for mode in [Mode::Index, Mode::Query] {
            let mut reference =
                TextAnalyzer::builder(CompoundTokenizer::new(mode, Stems::new(Some(Vec::new()))))
                    .filter(RemoveLongFilter::limit(LONGEST))
                    .filter(LowerCaser)
                    .filter(Stemmer::new(Language::English))
                    .build();
            let mut stream = reference.token_stream(text);
            let mut expected = Vec::new();
            while stream.advance() {
                let t = stream.token();
                expected.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
            }
            let mut ours = analyzer(mode);
            let mut stream = ours.token_stream(text);
            let mut read = Vec::new();
            while stream.advance() {
                let t = stream.token();
                read.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
            }
            assert_eq!(read, expected, "{mode:?}");
        }
    }

    #[test]
    fn the_highlighter_reads_like_the_index_where_it_matters() {
        let text = "Replies to the reply-all: Emailing, emails and ÉTATS stemmed; dying words";
        let indexed = texts(Mode::Index, text);
        for terms in [vec!["repli", "email"], vec!["die", "état"], vec!["stem"]] {
            let mut highlighter = highlighter(terms.iter().copied());
            let mut stream = highlighter.token_stream(text);
            let mut read = Vec::new();
            while stream.advance() {
                read.push((stream.token().text.clone(), stream.token().position));
            }
            assert_eq!(read.len(), indexed.len());
            for ((word, position), (stem, indexed_position)) in read.iter().zip(&indexed) {
                assert_eq!(position, indexed_position);
                assert_eq!(
                    terms.contains(&word.as_str()),
                    terms.contains(&stem.as_str()),
                    "{word} / {stem} with {terms:?}"
                );
            }
        }
    }

    #[test]
    fn compounds_are_queried_whole() {
        assert_eq!(texts(Mode::Query, "e-mail"), vec![("email".into(), 0)]);
        assert_eq!(texts(Mode::Query, "email"), vec![("email".into(), 0)]);
    }

    #[test]
    fn dangling_hyphens_and_punctuation_split_words() {
        assert_eq!(
            texts(Mode::Query, "well- known -- ok"),
            vec![("well".into(), 0), ("known".into(), 1), ("ok".into(), 2)]
        );
    }
}
