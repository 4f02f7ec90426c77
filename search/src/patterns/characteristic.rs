//! The words that set a group of reports apart: what explains a factor's pattern in the
//! reports' own words.

use super::{
    Collection,
    candidates::Candidates,
    seeds::MIN_LIFT,
    stats::{critical_g2, g2, lift},
    themes::nested,
};

/// Words shown as what sets a factor's reports apart.
const CHARACTERISTIC_TERMS: usize = 4;

/// The words that set a group of reports apart from the rest, for one group after another.
pub(crate) struct Characteristic<'a> {
    collection: &'a Collection,
    candidates: &'a Candidates<'a>,
    /// How many of the group hold each candidate: zero between groups.
    counts: Vec<u32>,
}

/// Members counted in full up to this many; a larger group is first sampled for the terms
/// that may be held by a third of it, which are then counted in full.
const SAMPLE: usize = 4096;

impl<'a> Characteristic<'a> {
    pub fn new(collection: &'a Collection, candidates: &'a Candidates<'a>) -> Self {
        Self {
            collection,
            candidates,
            counts: vec![0; candidates.len()],
        }
    }

    /// Terms most of the group share, significantly more often than the collection,
    /// strongest first. They explain a factor's pattern in the reports' own words, and mark
    /// them in each member.
    pub fn terms(&mut self, members: &[u32]) -> Vec<u32> {
        let (collection, candidates) = (self.collection, self.candidates);
        let total = collection.documents.len() as u64;
        let enough = (members.len() as u64).div_ceil(3).max(2);
        let mut scored: Vec<(f64, u32)> = self
            .shared(members, enough)
            .into_iter()
            .filter(|(_, count)| *count >= enough)
            .filter_map(|(number, count)| {
                let documents = u64::from(candidates.documents[number as usize]);
                let association = g2(count, members.len() as u64, documents, total);
                let lift = lift(count, members.len() as u64, documents, total);
                (association >= critical_g2() && lift >= MIN_LIFT).then(|| {
                    (
                        association * candidates.weights[number as usize],
                        candidates.terms[number as usize],
                    )
                })
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut chosen: Vec<u32> = Vec::new();
        for (_, term) in scored {
            if chosen.len() == CHARACTERISTIC_TERMS {
                break;
            }
            if !chosen.iter().any(|other| nested(collection, *other, term)) {
                chosen.push(term);
            }
        }
        chosen
    }

    /// How many of the members hold each candidate (by number), for the candidates that may
    /// be held by `enough` of them: no fewer reports of the whole collection hold it.
    fn shared(&mut self, members: &[u32], enough: u64) -> Vec<(u32, u64)> {
        let candidates = self.candidates;
        let counts = &mut self.counts;
        let mut touched: Vec<u32> = Vec::new();
        let step = members.len().div_ceil(SAMPLE).max(1);
        for doc in members.iter().step_by(step) {
            for number in candidates.of(*doc) {
                if u64::from(candidates.documents[number as usize]) < enough {
                    continue;
                }
                let count = &mut counts[number as usize];
                if *count == 0 {
                    touched.push(number);
                }
                *count += 1;
            }
        }
        let counted: Vec<(u32, u64)> = touched
            .into_iter()
            .map(|number| {
                (
                    number,
                    u64::from(std::mem::take(&mut counts[number as usize])),
                )
            })
            .collect();
        if step == 1 {
            return counted;
        }
        // A term in a third of the group is in far more than a quarter of an even sample of
        // it (more than ten standard deviations at 4096): none is missed.
        let sampled = members.len().div_ceil(step) as u64;
        counted
            .into_iter()
            .filter(|(_, count)| count * 4 >= sampled)
            .map(|(number, _)| {
                let n = members
                    .iter()
                    .filter(|doc| candidates.holds(**doc, number))
                    .count() as u64;
                (number, n)
            })
            .collect()
    }
}
