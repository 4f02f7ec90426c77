//! The plain data detection runs on: published reports as term sets, and their occurrences.

use rustc_hash::FxHashMap;

use super::{Month, Words};

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
    /// Sorted term ids, each once, with the surface id of its first writing alongside.
    pub terms: Vec<(u32, u32)>,
    pub factors: Vec<String>,
    pub channel: Option<String>,
}

/// A term: its stemmed key and how people wrote it.
pub(crate) struct Term {
    pub key: String,
    /// Surface ids and how many reports wrote it so.
    pub surfaces: Vec<(u32, u32)>,
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
    term_ids: FxHashMap<String, u32>,
    pub(crate) terms: Vec<Term>,
    surface_ids: FxHashMap<String, u32>,
    pub(crate) surfaces: Vec<String>,
    unit_ids: FxHashMap<String, u32>,
    pub(crate) units: Vec<String>,
    pub(crate) documents: Vec<Document>,
    pub(crate) occurrences: Vec<Occurrence>,
    factor_names: FxHashMap<String, String>,
    channel_names: FxHashMap<String, String>,
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
            term_ids: FxHashMap::default(),
            terms: Vec::new(),
            surface_ids: FxHashMap::default(),
            surfaces: Vec::new(),
            unit_ids: FxHashMap::default(),
            units: Vec::new(),
            documents: Vec::new(),
            occurrences: Vec::new(),
            factor_names: FxHashMap::default(),
            channel_names: FxHashMap::default(),
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
        let mut found: Vec<(u32, u32)> = Vec::new();
        let Self {
            words,
            term_ids,
            terms,
            surface_ids,
            surfaces,
            ..
        } = self;
        words.terms(text, |key, surface| {
            // Looked up before inserting: most terms are met again, and a key's copy costs.
            let term = match term_ids.get(key) {
                Some(term) => *term,
                None => {
                    terms.push(Term {
                        key: key.to_owned(),
                        surfaces: Vec::new(),
                        documents: 0,
                    });
                    term_ids.insert(key.to_owned(), (terms.len() - 1) as u32);
                    (terms.len() - 1) as u32
                }
            };
            let surface = match surface_ids.get(surface) {
                Some(surface) => *surface,
                None => {
                    surfaces.push(surface.to_owned());
                    surface_ids.insert(surface.to_owned(), (surfaces.len() - 1) as u32);
                    (surfaces.len() - 1) as u32
                }
            };
            found.push((term, surface));
        });
        // The first writing of a term in a report is the one shown for it.
        found.sort_by_key(|(term, _)| *term);
        found.dedup_by_key(|(term, _)| *term);
        for (term, surface) in &found {
            let entry = &mut self.terms[*term as usize];
            entry.documents += 1;
            match entry.surfaces.iter_mut().find(|(s, _)| s == surface) {
                Some((_, count)) => *count += 1,
                None => entry.surfaces.push((*surface, 1)),
            }
        }
        found.shrink_to_fit();
        self.documents.push(Document {
            reference: reference.to_owned(),
            terms: found,
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

    pub(crate) fn term_id(&self, key: &str) -> Option<u32> {
        self.term_ids.get(key).copied()
    }

    pub(crate) fn words(&self) -> &Words {
        &self.words
    }

    pub(crate) fn factor_name<'a>(&'a self, slug: &'a str) -> &'a str {
        self.factor_names.get(slug).map_or(slug, String::as_str)
    }

    pub(crate) fn channel_name<'a>(&'a self, slug: &'a str) -> &'a str {
        self.channel_names.get(slug).map_or(slug, String::as_str)
    }

    /// The way most reports wrote a term.
    pub(crate) fn surface(&self, term: u32) -> &str {
        let surfaces = &self.terms[term as usize].surfaces;
        surfaces
            .iter()
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .map_or(self.terms[term as usize].key.as_str(), |(s, _)| {
                self.surfaces[*s as usize].as_str()
            })
    }

    /// How a report wrote a term, if it contains it.
    pub(crate) fn surface_in(&self, doc: DocId, term: u32) -> Option<&str> {
        let terms = &self.documents[doc as usize].terms;
        terms
            .binary_search_by_key(&term, |(t, _)| *t)
            .ok()
            .map(|i| self.surfaces[terms[i].1 as usize].as_str())
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
