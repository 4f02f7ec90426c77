//! The plain data detection runs on: published reports as term sets, and their occurrences.

use rustc_hash::{FxHashMap, FxHashSet};

use super::{
    Month, Words,
    occurrences::{Occurrence, OccurrenceKind},
    term_set,
    words::{Key, Written, unpack},
};

/// Reports a term is in before it moves to the table of frequent terms.
const FREQUENT: u32 = 16;

/// A report's place in a [`Collection`].
pub type DocId = u32;

/// One published report: what it says, as term ids, and how it was classified.
pub(crate) struct Document {
    pub reference: String,
    /// Sorted term ids, each once.
    pub terms: Box<[u32]>,
    /// The terms this report wrote otherwise than the collection first met them, sorted.
    pub writings: Box<[(u32, Written)]>,
    /// Factor numbers (see [`Collection::factor`]), as given.
    pub factors: Box<[u32]>,
    pub channel: Option<u32>,
}

/// A term in the dictionary: its id, how many reports hold it, and how it was first written
/// (which gives its stems). Kept with its key, so that reading a report touches one place of
/// a table that holds millions.
#[derive(Clone, Copy)]
pub(crate) struct Entry {
    pub id: u32,
    pub documents: u32,
    pub first: Written,
}

/// Published reports and their occurrences, gathered by the caller and then detected on.
///
/// Reports are only ever added: a caller that keeps a collection between runs adds what was
/// published since, and builds a new one when a report already in it changed or left.
pub struct Collection {
    words: Words,
    /// Terms of up to three stems, which fit 64 bits: nearly all, in half the table; those
    /// in many reports apart, in a table small enough to stay in the processor's caches, where
    /// two thirds of all look-ups end.
    short_ids: FxHashMap<u64, Entry>,
    frequent_ids: FxHashMap<u64, Entry>,
    long_ids: FxHashMap<Key, Entry>,
    /// How each term was first written, by id.
    firsts: Vec<Written>,
    /// Terms written more than one way: each writing, first met first, and how many reports
    /// wrote it so. Most terms have one, and no entry here.
    writings: FxHashMap<u32, Vec<(Written, u32)>>,
    factor_ids: FxHashMap<String, u32>,
    factors: Vec<String>,
    channel_ids: FxHashMap<String, u32>,
    channels: Vec<String>,
    unit_ids: FxHashMap<String, u32>,
    pub(crate) units: Vec<String>,
    pub(crate) documents: Vec<Document>,
    pub(crate) occurrences: Vec<Occurrence>,
    factor_names: FxHashMap<String, String>,
    channel_names: FxHashMap<String, String>,
    /// Reused between reports: a report's terms in the order it first wrote them.
    found: Vec<(Key, Written)>,
    seen: FxHashSet<Key>,
    ids: Vec<(u32, Written, bool)>,
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
            frequent_ids: FxHashMap::default(),
            long_ids: FxHashMap::default(),
            firsts: Vec::new(),
            writings: FxHashMap::default(),
            factor_ids: FxHashMap::default(),
            factors: Vec::new(),
            channel_ids: FxHashMap::default(),
            channels: Vec::new(),
            unit_ids: FxHashMap::default(),
            units: Vec::new(),
            documents: Vec::new(),
            occurrences: Vec::new(),
            factor_names: FxHashMap::default(),
            channel_names: FxHashMap::default(),
            found: Vec::new(),
            seen: FxHashSet::default(),
            ids: Vec::new(),
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
        let Self { words, found, .. } = self;
        found.clear();
        words.keys(text, |key, written| found.push((key, written)));
        self.add_found(reference, factors, channel)
    }

    /// Adds a published report from its stored [`TermSet`](super::TermSet) bytes, as
    /// [`add_report`](Self::add_report) would from its text; `None`, and nothing added, when
    /// the bytes are not a term set this analyzer wrote.
    pub fn add_term_set(
        &mut self,
        reference: &str,
        term_set: &[u8],
        factors: &[String],
        channel: Option<&str>,
    ) -> Option<DocId> {
        let Self { words, found, .. } = self;
        found.clear();
        term_set::decode(words, term_set, found)?;
        Some(self.add_found(reference, factors, channel))
    }

    /// Adds the report whose terms `found` holds, in the order its text wrote them.
    fn add_found(&mut self, reference: &str, factors: &[String], channel: Option<&str>) -> DocId {
        let Self {
            short_ids,
            frequent_ids,
            long_ids,
            firsts,
            writings,
            found,
            seen,
            ids,
            ..
        } = self;
        // A term's id is given where the collection first meets it, so ids follow the text.
        seen.clear();
        ids.clear();
        for (key, written) in found.iter().copied() {
            if !seen.insert(key) {
                continue;
            }
            let next = firsts.len() as u32;
            let fresh = Entry {
                id: next,
                documents: 0,
                first: written,
            };
            let Entry {
                id,
                documents,
                first,
            } = match u64::try_from(key) {
                Ok(short) => match frequent_ids.get_mut(&short) {
                    Some(entry) => {
                        entry.documents += 1;
                        *entry
                    }
                    None => {
                        let entry = short_ids.entry(short).or_insert(fresh);
                        entry.documents += 1;
                        let entry = *entry;
                        if entry.documents == FREQUENT {
                            short_ids.remove(&short);
                            frequent_ids.insert(short, entry);
                        }
                        entry
                    }
                },
                Err(_) => {
                    let entry = long_ids.entry(key).or_insert(fresh);
                    entry.documents += 1;
                    *entry
                }
            };
            if id == next {
                firsts.push(written);
            }
            match writings.get_mut(&id) {
                Some(list) => match list.iter_mut().find(|(w, _)| *w == written) {
                    Some((_, count)) => *count += 1,
                    None => list.push((written, 1)),
                },
                None if written == first => {}
                None => {
                    writings.insert(id, vec![(first, documents - 1), (written, 1)]);
                }
            }
            ids.push((id, written, written != first));
        }
        ids.sort_unstable_by_key(|(id, _, _)| *id);
        let terms = ids.iter().map(|(id, _, _)| *id).collect();
        let writings = ids
            .iter()
            .filter(|(_, _, other)| *other)
            .map(|(id, written, _)| (*id, *written))
            .collect();
        let factors = factors
            .iter()
            .map(|slug| intern(&mut self.factor_ids, &mut self.factors, slug))
            .collect();
        let channel = channel.map(|slug| intern(&mut self.channel_ids, &mut self.channels, slug));
        self.documents.push(Document {
            reference: reference.to_owned(),
            terms,
            writings,
            factors,
            channel,
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
        let unit = unit.map(|path| intern(&mut self.unit_ids, &mut self.units, path));
        self.occurrences.push(Occurrence { doc, unit, month });
    }

    /// Forgets every occurrence and unit, keeping the reports: a collection kept between runs
    /// counts its occurrences again each time, as a new one would.
    pub fn clear_occurrences(&mut self) {
        self.occurrences.clear();
        self.unit_ids.clear();
        self.units.clear();
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

    /// How many distinct terms the reports hold.
    pub fn term_count(&self) -> usize {
        self.firsts.len()
    }

    /// Every term with its stems and its entry, in no particular order.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (Key, &Entry)> {
        self.frequent_ids
            .iter()
            .chain(&self.short_ids)
            .map(|(key, entry)| (Key::from(*key), entry))
            .chain(self.long_ids.iter().map(|(key, entry)| (*key, entry)))
    }

    /// The entry of the term of these stems, if some report holds it.
    pub(crate) fn entry_of(&self, key: Key) -> Option<&Entry> {
        match u64::try_from(key) {
            Ok(short) => self
                .frequent_ids
                .get(&short)
                .or_else(|| self.short_ids.get(&short)),
            Err(_) => self.long_ids.get(&key),
        }
    }

    pub(crate) fn words(&self) -> &Words {
        &self.words
    }

    /// A factor's slug, by its number.
    pub(crate) fn factor(&self, number: u32) -> &str {
        &self.factors[number as usize]
    }

    /// How many factors and channels the reports name.
    pub(crate) fn factor_count(&self) -> usize {
        self.factors.len()
    }

    pub(crate) fn channel(&self, number: u32) -> &str {
        &self.channels[number as usize]
    }

    pub(crate) fn channel_count(&self) -> usize {
        self.channels.len()
    }

    /// The stem ids a term is made of.
    pub(crate) fn stems_of(&self, term: u32) -> impl Iterator<Item = u32> + use<> {
        unpack(self.key_of(term))
    }

    /// A term's stems, packed.
    pub(crate) fn key_of(&self, term: u32) -> Key {
        self.words.key_of(self.firsts[term as usize])
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
            None => self.firsts[term as usize],
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
            .map_or(self.firsts[term as usize], |i| document.writings[i].1);
        Some(self.words.written_text(written))
    }
}

/// The number of a name, given the first time it is met.
fn intern(ids: &mut FxHashMap<String, u32>, names: &mut Vec<String>, name: &str) -> u32 {
    if let Some(id) = ids.get(name) {
        return *id;
    }
    let id = names.len() as u32;
    names.push(name.to_owned());
    ids.insert(name.to_owned(), id);
    id
}
