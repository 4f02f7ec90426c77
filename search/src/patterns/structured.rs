//! Structured recurrences: one contributing factor, or one factor on one channel, occurring in
//! enough units within the window.

use std::collections::BTreeMap;

use super::{
    Collection, Draft, PatternKind, Settings,
    occurrences::{ByDoc, Occurrence},
    stats::{best_window, critical_g2, g2, lift},
};

/// A factor named in more than this share of all reports is the shared vocabulary of the
/// collection ("time pressure" everywhere), not a pattern by itself.
const UBIQUITOUS_SHARE: f64 = 0.2;

/// A channel that holds this share of a factor's occurrences is the factor's pattern.
const DOMINANT_CHANNEL: f64 = 0.8;

pub(crate) fn detect(collection: &Collection, by_doc: &ByDoc, settings: &Settings) -> Vec<Draft> {
    let total = collection.documents.len() as u64;
    let mut by_factor: Vec<Vec<u32>> = vec![Vec::new(); collection.factor_count()];
    let mut by_channel: Vec<u64> = vec![0; collection.channel_count()];
    let mut channel_of: Vec<Option<u32>> = Vec::with_capacity(collection.documents.len());
    for (doc, document) in collection.documents.iter().enumerate() {
        for factor in &document.factors {
            by_factor[*factor as usize].push(doc as u32);
        }
        if let Some(channel) = document.channel {
            by_channel[channel as usize] += 1;
        }
        channel_of.push(document.channel);
    }
    let mut channels: Vec<u32> = (0..collection.channel_count() as u32).collect();
    channels.sort_unstable_by_key(|channel| collection.channel(*channel));
    // Factors in the order of their slugs, and channels too, so that equal strengths keep
    // one order.
    let by_factor: BTreeMap<&str, Vec<u32>> = by_factor
        .into_iter()
        .enumerate()
        .map(|(factor, docs)| (collection.factor(factor as u32), docs))
        .collect();
    let occurrences_of = |docs: &[u32]| by_doc.of_all(docs);
    let mut found = Vec::new();
    for (factor, docs) in by_factor {
        let mut per_channel: Vec<Vec<u32>> = vec![Vec::new(); channels.len()];
        for doc in &docs {
            if let Some(channel) = channel_of[*doc as usize] {
                per_channel[channel as usize].push(*doc);
            }
        }
        let mut covered = 0;
        for number in &channels {
            let members = std::mem::take(&mut per_channel[*number as usize]);
            if members.is_empty() {
                continue;
            }
            let channel = collection.channel(*number);
            let (in_channel, with_factor) = (by_channel[*number as usize], docs.len() as u64);
            let both = members.len() as u64;
            // The channel must be where the factor concentrates, not where every report is.
            let association = g2(both, with_factor, in_channel, total);
            if association < critical_g2() {
                continue;
            }
            let draft = Draft {
                kind: PatternKind::FactorChannel,
                factor: Some(factor.to_owned()),
                also_factors: Vec::new(),
                channel: Some(channel.to_owned()),
                unit: None,
                member_docs: members.clone(),
                terms: Vec::new(),
                lift: lift(both, with_factor, in_channel, total),
                strength: association,
            };
            if let Some(draft) = recurrence(draft, &occurrences_of(&members), settings) {
                covered = covered.max(members.len());
                found.push(draft);
            }
        }
        let share = docs.len() as f64 / total.max(1) as f64;
        if covered as f64 >= DOMINANT_CHANNEL * docs.len() as f64 || share > UBIQUITOUS_SHARE {
            continue;
        }
        let draft = Draft {
            kind: PatternKind::Factor,
            factor: Some(factor.to_owned()),
            also_factors: Vec::new(),
            channel: None,
            unit: None,
            member_docs: docs.clone(),
            terms: Vec::new(),
            lift: 1.0 / share,
            // Against a factor spread evenly over all reports.
            strength: g2(
                docs.len() as u64,
                docs.len() as u64,
                docs.len() as u64,
                total,
            ),
        };
        if let Some(draft) = recurrence(draft, &occurrences_of(&docs), settings) {
            found.push(draft);
        }
    }
    found
}

/// The draft as a cross-unit pattern when its occurrences hold the thresholds in some window,
/// as a local one when one unit alone holds them, else nothing.
pub(crate) fn recurrence(
    mut draft: Draft,
    occurrences: &[Occurrence],
    settings: &Settings,
) -> Option<Draft> {
    let (count, units) = best_window(occurrences, settings.window_months());
    if count >= settings.min_occurrences && units >= settings.min_units {
        return Some(draft);
    }
    let mut per_unit: BTreeMap<u32, Vec<Occurrence>> = BTreeMap::new();
    for occurrence in occurrences {
        if let Some(unit) = occurrence.unit {
            per_unit.entry(unit).or_default().push(*occurrence);
        }
    }
    let (unit, local) = per_unit
        .into_iter()
        .map(|(unit, list)| (best_window(&list, settings.window_months()).0, unit, list))
        .filter(|(count, _, _)| *count >= settings.min_occurrences)
        .max_by_key(|(count, unit, _)| (*count, std::cmp::Reverse(*unit)))
        .map(|(_, unit, list)| (unit, list))?;
    let mut docs: Vec<u32> = local.iter().map(|o| o.doc).collect();
    docs.sort_unstable();
    docs.dedup();
    draft.kind = PatternKind::Local;
    draft.unit = Some(unit);
    draft.member_docs = docs;
    Some(draft)
}
