//! Counting facet values among the matches, converting only the values worth showing.
//!
//! tantivy's `FacetCollector` maps every value of a field on every query, which is costly
//! for a field with many values such as free tags. This collector counts by ordinal, and the
//! text of each ordinal is read once per segment and kept: segments never change.

use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex},
};

use tantivy::{
    DocId, Score, SegmentReader,
    collector::{Collector, SegmentCollector},
    fastfield::FacetReader,
    index::SegmentId,
    schema::Facet,
};

/// The facet values of one field of one segment, by ordinal.
type Names = Arc<Vec<String>>;

/// The text of every facet value of a segment's field, by ordinal.
#[derive(Default)]
pub struct FacetNames {
    by_segment: Mutex<HashMap<(SegmentId, usize), Names>>,
}

impl FacetNames {
    fn names(
        &self,
        segment: SegmentId,
        field: usize,
        reader: &FacetReader,
    ) -> tantivy::Result<Names> {
        if let Some(names) = self
            .by_segment
            .lock()
            .ok()
            .and_then(|cache| cache.get(&(segment, field)).cloned())
        {
            return Ok(names);
        }
        let mut names = Vec::with_capacity(reader.num_facets());
        let mut stream = reader.facet_dict().stream()?;
        while stream.advance() {
            let facet = Facet::from_encoded(stream.key().to_vec())
                .map(|f| f.to_path().join("/"))
                .unwrap_or_default();
            names.push(facet);
        }
        let names = Arc::new(names);
        if let Ok(mut cache) = self.by_segment.lock() {
            cache.insert((segment, field), Arc::clone(&names));
        }
        Ok(names)
    }

    /// Forgets segments that merges have replaced.
    pub fn retain(&self, live: &HashSet<SegmentId>) {
        if let Ok(mut cache) = self.by_segment.lock() {
            cache.retain(|(segment, _), _| live.contains(segment));
        }
    }
}

/// The facet fields, in the order of [`Tallies::fields`].
pub const FIELDS: [&str; 6] = ["channel", "impact", "factor", "category", "tag", "unit"];
const UNIT: usize = 5;

/// Values kept per field and segment; a field with more values keeps its most frequent.
const KEEP: usize = 50;

pub struct FacetCounter {
    pub names: Arc<FacetNames>,
    /// The field of [`FIELDS`] to count alone; every field when `None`.
    pub only: Option<usize>,
}

/// Counts by value, one map per field of [`FIELDS`]; unit values are full paths.
#[derive(Default)]
pub struct Tallies {
    pub fields: Vec<HashMap<String, u64>>,
}

pub struct SegmentCounter {
    /// The fields counted, by their place in [`FIELDS`].
    readers: Vec<(usize, FacetReader, Vec<u32>, Names)>,
}

impl Collector for FacetCounter {
    type Fruit = Tallies;
    type Child = SegmentCounter;

    fn for_segment(
        &self,
        _segment_ord: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentCounter> {
        let readers = FIELDS
            .iter()
            .enumerate()
            .filter(|(index, _)| self.only.is_none_or(|only| only == *index))
            .map(|(index, field)| {
                let facets = reader.facet_reader(field)?;
                let names = self.names.names(reader.segment_id(), index, &facets)?;
                let counts = vec![0; facets.num_facets()];
                Ok((index, facets, counts, names))
            })
            .collect::<tantivy::Result<_>>()?;
        Ok(SegmentCounter { readers })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<Tallies>) -> tantivy::Result<Tallies> {
        let mut merged = Tallies {
            fields: vec![HashMap::new(); FIELDS.len()],
        };
        for segment in segments {
            for (into, from) in merged.fields.iter_mut().zip(segment.fields) {
                for (value, count) in from {
                    *into.entry(value).or_default() += count;
                }
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for SegmentCounter {
    type Fruit = Tallies;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for (_, reader, counts, _) in &mut self.readers {
            for ord in reader.facet_ords(doc) {
                if let Some(count) = counts.get_mut(ord as usize) {
                    *count += 1;
                }
            }
        }
    }

    fn harvest(self) -> Tallies {
        let mut fields = vec![HashMap::new(); FIELDS.len()];
        for (field, _, counts, names) in self.readers {
            let mut present: Vec<(usize, u32)> = counts
                .into_iter()
                .enumerate()
                .filter(|(_, c)| *c > 0)
                .collect();
            // Units are few and all are needed to count subtrees; other fields keep their top.
            if field != UNIT && present.len() > KEEP {
                present.select_nth_unstable_by(KEEP, |a, b| b.1.cmp(&a.1));
                present.truncate(KEEP);
            }
            fields[field] = present
                .into_iter()
                .filter_map(|(ord, count)| Some((names.get(ord)?.clone(), u64::from(count))))
                .collect();
        }
        Tallies { fields }
    }
}
