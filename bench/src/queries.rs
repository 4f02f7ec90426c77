//! The fixed query mix: one-term, two-term, phrase, filtered and faceted queries, drawn from
//! the corpus itself so that they find something.

use rand::{Rng, SeedableRng, rngs::StdRng};

use crate::corpus::{self, Vocabulary};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    OneTerm,
    TwoTerms,
    Phrase,
    Filtered,
    Faceted,
}

#[derive(Clone, Debug)]
pub struct BenchQuery {
    pub kind: Kind,
    pub words: Vec<String>,
    pub channel: Option<&'static str>,
    pub impact: Option<&'static str>,
    /// A top-level unit, to filter on a whole subtree.
    pub unit: Option<&'static str>,
}

impl BenchQuery {
    /// The query in Kintsugi's (and tantivy's) syntax.
    pub fn text(&self) -> String {
        let words = self.words.join(" ");
        if self.kind == Kind::Phrase {
            format!("\"{words}\"")
        } else {
            words
        }
    }

    /// The same query in FTS5's syntax: every word quoted, phrases as one quoted string.
    pub fn fts5(&self) -> String {
        if self.kind == Kind::Phrase {
            format!("\"{}\"", self.words.join(" "))
        } else {
            self.words
                .iter()
                .map(|w| format!("\"{w}\""))
                .collect::<Vec<_>>()
                .join(" ")
        }
    }

    /// The query string of `GET /api/v1/search`.
    pub fn url_query(&self) -> String {
        let mut pairs = vec![("q", self.text())];
        if let Some(channel) = self.channel {
            pairs.push(("channel", channel.to_owned()));
        }
        if let Some(impact) = self.impact {
            pairs.push(("impact", impact.to_owned()));
        }
        if let Some(unit) = self.unit {
            pairs.push(("unit", unit.to_owned()));
        }
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Words of a report's narrative, lower-cased, without punctuation.
fn narrative_words(vocabulary: &Vocabulary, n: u64) -> Vec<String> {
    let line = corpus::report_line(vocabulary, n);
    let value: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
    value["narrative"]
        .as_str()
        .unwrap_or_default()
        .split_whitespace()
        .map(|w| w.trim_end_matches('.').to_lowercase())
        .collect()
}

/// The 200 queries of the mix, the same for a given corpus size.
pub fn mix(vocabulary: &Vocabulary, reports: u64) -> Vec<BenchQuery> {
    let mut rng = StdRng::seed_from_u64(200);
    let mut queries = Vec::new();
    let pick = |rng: &mut StdRng| narrative_words(vocabulary, rng.random_range(0..reports));
    let plain = |kind, words| BenchQuery {
        kind,
        words,
        channel: None,
        impact: None,
        unit: None,
    };
    for i in 0..50 {
        // Some single terms are very common (their total visits many documents), most are not.
        let word = if i < 8 {
            vocabulary.words[50 + i].clone()
        } else {
            let words = pick(&mut rng);
            words[rng.random_range(0..words.len())].clone()
        };
        queries.push(plain(Kind::OneTerm, vec![word]));
    }
    for _ in 0..50 {
        let words = pick(&mut rng);
        let a = words[rng.random_range(0..words.len())].clone();
        let b = words[rng.random_range(0..words.len())].clone();
        queries.push(plain(Kind::TwoTerms, vec![a, b]));
    }
    for _ in 0..40 {
        let words = pick(&mut rng);
        let len = rng.random_range(2..4).min(words.len());
        let start = rng.random_range(0..=words.len() - len);
        queries.push(plain(Kind::Phrase, words[start..start + len].to_vec()));
    }
    for _ in 0..30 {
        let words = pick(&mut rng);
        let mut query = plain(
            Kind::Filtered,
            vec![words[rng.random_range(0..words.len())].clone()],
        );
        query.channel = Some(corpus::CHANNELS[rng.random_range(0..corpus::CHANNELS.len())]);
        query.impact = Some(corpus::IMPACTS[rng.random_range(0..corpus::IMPACTS.len())]);
        queries.push(query);
    }
    for _ in 0..30 {
        let words = pick(&mut rng);
        let a = words[rng.random_range(0..words.len())].clone();
        let b = words[rng.random_range(0..words.len())].clone();
        let mut query = plain(Kind::Faceted, vec![a, b]);
        let unit = corpus::UNITS[rng.random_range(0..corpus::UNITS.len())];
        query.unit = unit.split('/').next();
        queries.push(query);
    }
    queries
}
