//! Recurring patterns across teams: the same contributing factor, or the same theme in the
//! published text, occurring in several units. Pure computation over plain data: the caller
//! loads the occurrences, this finds and explains the patterns, deterministically.

mod candidates;
mod characteristic;
mod chosen;
mod collection;
mod describe;
mod identity;
mod occurrences;
mod parallel;
mod seeds;
mod stats;
mod structured;
mod term_set;
mod themes;
mod version;
mod words;

#[cfg(test)]
mod tests;

pub use collection::{Collection, DocId};
pub use identity::{Previous, Status, grown_clearly, match_previous, next_status};
pub use occurrences::OccurrenceKind;
pub use term_set::TermSet;
pub use words::Words;

/// A month counted from year 0, so that months subtract: `year * 12 + (month - 1)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(pub u32);

impl Month {
    /// `None` unless `month` is 1 to 12.
    pub fn new(year: u32, month: u32) -> Option<Self> {
        (1..=12)
            .contains(&month)
            .then(|| Self(year * 12 + month - 1))
    }

    /// Reads `YYYY-MM` (or the month of `YYYY-MM-DD`).
    pub fn parse(text: &str) -> Option<Self> {
        let year = text.get(0..4)?.parse().ok()?;
        if text.get(4..5)? != "-" {
            return None;
        }
        Self::new(year, text.get(5..7)?.parse().ok()?)
    }

    pub fn year(self) -> u32 {
        self.0 / 12
    }

    pub fn month(self) -> u32 {
        self.0 % 12 + 1
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

/// The thresholds of a recurrence.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// Occurrences at least (N).
    pub min_occurrences: usize,
    /// Distinct units at least (M).
    pub min_units: usize,
    /// Within a window of this many days (W).
    pub window_days: u32,
    /// The month "now" is in: the trend compares the window up to here with the one before.
    pub as_of: Month,
}

impl Settings {
    /// The window in whole months, at least one.
    pub fn window_months(&self) -> u32 {
        ((f64::from(self.window_days) / 30.44).round() as u32).max(1)
    }
}

/// What a pattern is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PatternKind {
    /// One contributing factor across units.
    Factor,
    /// One contributing factor on one channel across units.
    FactorChannel,
    /// Terms of the published text that occur together across units.
    Theme,
    /// A factor or a theme repeating inside one unit: for moderators, not a cross-team pattern.
    Local,
}

impl PatternKind {
    pub fn slug(self) -> &'static str {
        match self {
            Self::Factor => "factor",
            Self::FactorChannel => "factor_channel",
            Self::Theme => "theme",
            Self::Local => "local",
        }
    }
}

/// The occurrences of a window against the window before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Trend {
    pub current: usize,
    pub previous: usize,
}

impl Trend {
    /// `rising`, `falling` or `steady`: a change of less than a quarter (or of one) is steady.
    pub fn direction(&self) -> &'static str {
        let (now, before) = (self.current as f64, self.previous as f64);
        let margin = (before * 0.25).max(1.0);
        if now > before + margin {
            "rising"
        } else if now < before - margin {
            "falling"
        } else {
            "steady"
        }
    }
}

/// A published report that belongs to a pattern, with the words of the pattern it contains.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub reference: String,
    /// The pattern's terms as this report wrote them.
    pub matched: Vec<String>,
}

/// A recurring pattern, with everything needed to explain it.
#[derive(Clone, Debug, PartialEq)]
pub struct Pattern {
    /// Stable across runs: the factor key, or the sorted strongest stems of a theme.
    pub signature: String,
    pub kind: PatternKind,
    pub title: String,
    /// The sentence that justifies the pattern, with its evidence.
    pub explanation: String,
    /// The strongest terms, as people wrote them.
    pub terms: Vec<String>,
    /// The same terms stemmed: what identity matching compares.
    pub stems: Vec<String>,
    pub factors: Vec<String>,
    pub channel: Option<String>,
    /// For a local pattern, the unit it repeats in.
    pub unit: Option<String>,
    pub members: Vec<Member>,
    /// Occurrences: the member reports, the reports merged into them, and "happened to us too".
    pub occurrences: usize,
    pub units: Vec<String>,
    pub first_seen: Month,
    pub last_seen: Month,
    pub by_month: Vec<(Month, usize)>,
    pub trend: Trend,
    pub score: f64,
}

/// Finds every pattern of the collection, strongest first.
pub fn detect(collection: &Collection, settings: &Settings) -> Vec<Pattern> {
    let by_doc = occurrences::ByDoc::new(collection);
    let mut drafts = structured::detect(collection, &by_doc, settings);
    drafts.sort_by(|a, b| {
        b.strength
            .total_cmp(&a.strength)
            .then(a.factor.cmp(&b.factor))
    });
    let candidates = candidates::Candidates::new(collection);
    let mut themes = themes::detect(collection, &candidates, &by_doc, settings);
    themes.sort_by(|a, b| {
        b.strength
            .total_cmp(&a.strength)
            .then(a.terms.cmp(&b.terms))
    });
    // Factor patterns come first, so that one told in words and by factors alike keeps the
    // factor's plain name and gains the words.
    drafts.extend(themes);
    let mut found: Vec<Draft> = Vec::new();
    for draft in drafts {
        let same = found.iter_mut().find(|kept| {
            kept.kind.is_cross_unit() == draft.kind.is_cross_unit()
                && kept.unit == draft.unit
                && stats::jaccard_sorted(&kept.member_docs, &draft.member_docs) >= SAME_MEMBERS
        });
        match same {
            Some(kept) => kept.absorb(draft),
            None => found.push(draft),
        }
    }
    let mut characteristic = characteristic::Characteristic::new(collection, &candidates);
    for draft in &mut found {
        if draft.terms.is_empty() {
            draft.terms = characteristic.terms(&draft.member_docs);
        }
    }
    let mut patterns: Vec<Pattern> = found
        .into_iter()
        .map(|draft| describe::finish(draft, collection, &by_doc, settings))
        .collect();
    patterns.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.signature.cmp(&b.signature))
    });
    // Two themes may share their strongest stems; each signature names one pattern.
    let mut signatures = std::collections::HashSet::new();
    for pattern in &mut patterns {
        let mut signature = pattern.signature.clone();
        let mut n = 1;
        while !signatures.insert(signature.clone()) {
            n += 1;
            signature = format!("{}#{n}", pattern.signature);
        }
        pattern.signature = signature;
    }
    patterns
}

/// Two patterns sharing this much of their members are one, told two ways.
const SAME_MEMBERS: f64 = 0.5;

impl PatternKind {
    fn is_cross_unit(self) -> bool {
        self != Self::Local
    }
}

/// A pattern before it is described: its key, members and the terms that made it.
#[derive(Clone, Debug)]
pub(crate) struct Draft {
    pub kind: PatternKind,
    pub factor: Option<String>,
    /// Factors of patterns merged into this one.
    pub also_factors: Vec<String>,
    pub channel: Option<String>,
    pub unit: Option<u32>,
    /// Sorted document ids.
    pub member_docs: Vec<DocId>,
    /// Term ids, strongest first.
    pub terms: Vec<u32>,
    /// How much more often than chance the terms or the factor occur together.
    pub lift: f64,
    pub strength: f64,
}

impl Draft {
    fn absorb(&mut self, other: Draft) {
        for term in other.terms {
            if !self.terms.contains(&term) {
                self.terms.push(term);
            }
        }
        for factor in other.factor.into_iter().chain(other.also_factors) {
            if self.factor.as_ref() != Some(&factor) && !self.also_factors.contains(&factor) {
                self.also_factors.push(factor);
            }
        }
        self.member_docs = stats::union_sorted(&self.member_docs, &other.member_docs);
        self.strength = self.strength.max(other.strength);
    }
}
