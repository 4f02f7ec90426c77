//! Occurrences: each published report, each report merged into one and each "happened to us
//! too", in a unit and a month; and the same grouped by report, as detection reads them.

use super::{Collection, DocId, Month};

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

#[derive(Clone, Copy, Debug)]
pub(crate) struct Occurrence {
    pub doc: DocId,
    pub unit: Option<u32>,
    pub month: Month,
}

/// Occurrences grouped by report, in report order and, within a report, in the order they
/// were added.
pub(crate) struct ByDoc {
    starts: Vec<u32>,
    occurrences: Vec<Occurrence>,
}

impl ByDoc {
    pub fn new(collection: &Collection) -> Self {
        let count = collection.documents.len();
        let mut starts = vec![0u32; count + 1];
        for occurrence in &collection.occurrences {
            if let Some(start) = starts.get_mut(occurrence.doc as usize + 1) {
                *start += 1;
            }
        }
        for i in 0..count {
            starts[i + 1] += starts[i];
        }
        let mut next = starts.clone();
        let mut occurrences = vec![
            Occurrence {
                doc: 0,
                unit: None,
                month: Month(0),
            };
            starts[count] as usize
        ];
        for occurrence in &collection.occurrences {
            let doc = occurrence.doc as usize;
            if doc < count {
                occurrences[next[doc] as usize] = *occurrence;
                next[doc] += 1;
            }
        }
        Self {
            starts,
            occurrences,
        }
    }

    /// A report's occurrences.
    pub fn of(&self, doc: DocId) -> &[Occurrence] {
        let doc = doc as usize;
        &self.occurrences[self.starts[doc] as usize..self.starts[doc + 1] as usize]
    }

    /// The occurrences of several reports, in their order.
    pub fn of_all(&self, docs: &[DocId]) -> Vec<Occurrence> {
        docs.iter()
            .flat_map(|doc| self.of(*doc).iter().copied())
            .collect()
    }
}
