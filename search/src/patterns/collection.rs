//! The plain data detection runs on: published reports as term sets, and their occurrences.

use rustc_hash::FxHashMap;

use super::{
    Month, Words,
    words::{Key, Written, unpack},
};

/// A report's place in a [`Collection`].
pub type DocId = u32;

/// Why something counts as an occurrence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OccurrenceKind {
    /// The published report itself.
    Report,
    /// A report merged into it as a recurrence.
    Merged,
    /// A reader's "this happened to us too".
    Signal,
}

/// One published report: what it says, as term ids, and how it was classified.
pub(crate) struct Document {
    pub reference: String,
    /// Sorted term ids, each once.
    pub terms: Vec<u32>,
    /// The terms this report wrote otherwise than the collection first met them, sorted.
    pub writings: Vec<(u32, Written)>,
    pub factors: Vec<String>,
    pub channel: Option<String>,
}

/// A term: how people first wrote it (which gives its stems) and how many reports hold it.
pub(crate) struct Term {
    pub first: Written,
    /// Reports containing it.
    pub documents: u32,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Occurrence {
    pub doc: DocId,
    pub unit: Option<u32>,
    pub month: Month,
}

/// Published reports and their occurrences, gathered by the caller and then detected on.
pub struct Collection {
    words: Words,
    /// Terms of up to three stems, which fit 64 bits: nearly all, in half the table.
    short_ids: FxHashMap<u64, u32>,
    term_ids: FxHashMap<Key, u32>,
    pub(crate) terms: Vec<Term>,
    /// Terms written more than one way: each writing, first met first, and how many reports
    /// wrote it so. Most terms have one, and no entry here.
    writings: FxHashMap<u32, Vec<(Written, u32)>>,
    unit_ids: FxHashMap<String, u32>,
    pub(crate) units: Vec<String>,
    pub(crate) documents: Vec<Document>,
    pub(crate) occurrences: Vec<Occurrence>,
    factor_names: FxHashMap<String, String>,
    channel_names: FxHashMap<String, String>,
    /// Reused between reports.
    found: Vec<(u32, Written)>,
}

impl Default for Collection {
    fn default() -> Self {
        Self::new()
    }
}

impl Collection {
    pub fn new() -> Self {
        Self {
            words: Words::new(),
            short_ids: FxHashMap::default(),
            term_ids: FxHashMap::default(),
            terms: Vec::new(),
            writings: FxHashMap::default(),
            unit_ids: FxHashMap::default(),
            units: Vec::new(),
            documents: Vec::new(),
            occurrences: Vec::new(),
            factor_names: FxHashMap::default(),
            channel_names: FxHashMap::default(),
            found: Vec::new(),
        }
    }

    /// Adds a published report: its published text (title, narrative, lesson), its factors'
    /// slugs and its channel. Its occurrences are added apart.
    pub fn add_report(
        &mut self,
        reference: &str,
        text: &str,
        factors: &[String],
        channel: Option<&str>,
    ) -> DocId {
        let Self {
            words,
            short_ids,
            term_ids,
            terms,
            found,
            ..
        } = self;
        found.clear();
        words.keys(text, |key, written| {
            let new = || {
                terms.push(Term {
                    first: written,
                    documents: 0,
                });
                (terms.len() - 1) as u32
            };
            let term = match u64::try_from(key) {
                Ok(short) => *short_ids.entry(short).or_insert_with(new),
                Err(_) => *term_ids.entry(key).or_insert_with(new),
            };
            found.push((term, written));
        });
        // The first writing of a term in a report is the one shown for it.
        found.sort_by_key(|(term, _)| *term);
        found.dedup_by_key(|(term, _)| *term);
        let mut writings = Vec::new();
        for (term, written) in found.iter() {
            let entry = &mut self.terms[*term as usize];
            entry.documents += 1;
            let first = entry.first;
            match self.writings.get_mut(term) {
                Some(list) => match list.iter_mut().find(|(w, _)| w == written) {
                    Some((_, count)) => *count += 1,
                    None => list.push((*written, 1)),
                },
                None if *written == first => {}
                None => {
                    let before = entry.documents - 1;
                    self.writings
                        .insert(*term, vec![(first, before), (*written, 1)]);
                }
            }
            if *written != first {
                writings.push((*term, *written));
            }
        }
        self.documents.push(Document {
            reference: reference.to_owned(),
            terms: found.iter().map(|(term, _)| *term).collect(),
            writings,
            factors: factors.to_vec(),
            channel: channel.map(str::to_owned),
        });
        (self.documents.len() - 1) as DocId
    }

    /// Counts one occurrence of a report: the report itself, a merged report or a signal, in a
    /// unit (its path) when known, in the month it happened (else the month it was published).
    pub fn add_occurrence(
        &mut self,
        doc: DocId,
        unit: Option<&str>,
        month: Month,
        _kind: OccurrenceKind,
    ) {
        let unit = unit.map(|path| {
            *self.unit_ids.entry(path.to_owned()).or_insert_with(|| {
                self.units.push(path.to_owned());
                (self.units.len() - 1) as u32
            })
        });
        self.occurrences.push(Occurrence { doc, unit, month });
    }

    /// The name a factor is shown by; its slug otherwise.
    pub fn name_factor(&mut self, slug: &str, name: &str) {
        self.factor_names.insert(slug.to_owned(), name.to_owned());
    }

    /// The name a channel is shown by; its slug otherwise.
    pub fn name_channel(&mut self, slug: &str, name: &str) {
        self.channel_names.insert(slug.to_owned(), name.to_owned());
    }

    pub fn len(&self) -> usize {
        self.documents.len()
    }

    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }

    /// The term of these stems, if some report holds it.
    pub(crate) fn term_of(&self, key: Key) -> Option<u32> {
        match u64::try_from(key) {
            Ok(short) => self.short_ids.get(&short).copied(),
            Err(_) => self.term_ids.get(&key).copied(),
        }
    }

    pub(crate) fn words(&self) -> &Words {
        &self.words
    }

    /// The stem ids a term is made of.
    pub(crate) fn stems_of(&self, term: u32) -> impl Iterator<Item = u32> + use<> {
        unpack(self.key_of(term))
    }

    /// A term's stems, packed.
    pub(crate) fn key_of(&self, term: u32) -> Key {
        self.words.key_of(self.terms[term as usize].first)
    }

    /// A term's stems, space-separated: what identity matching compares.
    pub(crate) fn key(&self, term: u32) -> String {
        self.words.key_text(self.key_of(term))
    }

    pub(crate) fn factor_name<'a>(&'a self, slug: &'a str) -> &'a str {
        self.factor_names.get(slug).map_or(slug, String::as_str)
    }

    pub(crate) fn channel_name<'a>(&'a self, slug: &'a str) -> &'a str {
        self.channel_names.get(slug).map_or(slug, String::as_str)
    }

    /// The way most reports wrote a term (the first met of equally many).
    pub(crate) fn surface(&self, term: u32) -> String {
        let written = match self.writings.get(&term) {
            Some(list) => {
                let mut best = list[0];
                for candidate in &list[1..] {
                    if candidate.1 > best.1 {
                        best = *candidate;
                    }
                }
                best.0
            }
            None => self.terms[term as usize].first,
        };
        self.words.written_text(written)
    }

    /// Whether a report contains a term.
    pub(crate) fn contains(&self, doc: DocId, term: u32) -> bool {
        self.documents[doc as usize]
            .terms
            .binary_search(&term)
            .is_ok()
    }

    /// How a report wrote a term, if it contains it.
    pub(crate) fn surface_in(&self, doc: DocId, term: u32) -> Option<String> {
        let document = &self.documents[doc as usize];
        document.terms.binary_search(&term).ok()?;
        let written = document
            .writings
            .binary_search_by_key(&term, |(t, _)| *t)
            .map_or(self.terms[term as usize].first, |i| document.writings[i].1);
        Some(self.words.written_text(written))
    }

    /// Occurrences grouped by report, in report order.
    pub(crate) fn occurrences_by_doc(&self) -> Vec<Vec<Occurrence>> {
        let mut by_doc = vec![Vec::new(); self.documents.len()];
        for occurrence in &self.occurrences {
            if let Some(list) = by_doc.get_mut(occurrence.doc as usize) {
                list.push(*occurrence);
            }
        }
        by_doc
    }
}
