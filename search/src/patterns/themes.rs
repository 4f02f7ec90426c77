//! Textual recurrences: terms that occur together in reports more often than chance, merged
//! into themes by the reports they share.

use rustc_hash::FxHashMap;

use super::{
    Collection, Draft, PatternKind, Settings,
    candidates::Candidates,
    occurrences::ByDoc,
    seeds::{Seed, seeds},
    stats::{intersection_len, jaccard_sorted, union_sorted},
    structured::recurrence,
};

/// Seeds sharing a term join a theme when their reports overlap this much.
const JOIN_SHARING_A_TERM: f64 = 0.2;
/// Seeds sharing no term join a theme when their reports overlap this much.
const JOIN_BY_MEMBERS: f64 = 0.5;
/// Terms shown for a theme.
const TERMS_SHOWN: usize = 8;

struct Theme {
    terms: Vec<u32>,
    members: Vec<u32>,
    score: f64,
    lift: f64,
    strict: bool,
}

/// Terms a theme needs unless one of its pairs is significant against every pair: two rare
/// words meeting in three reports can be chance, three words meeting there seldom are.
const MIN_TERMS: usize = 3;

pub(crate) fn detect(
    collection: &Collection,
    candidates: &Candidates,
    by_doc: &ByDoc,
    settings: &Settings,
) -> Vec<Draft> {
    let total = collection.documents.len();
    if total == 0 {
        return Vec::new();
    }
    let seeds = seeds(collection, candidates);
    let themes = merge(collection, &seeds);
    let mut drafts = Vec::new();
    for theme in themes {
        let occurrences = by_doc.of_all(&theme.members);
        let coverage: FxHashMap<u32, f64> = theme
            .terms
            .iter()
            .map(|term| {
                let present = theme
                    .members
                    .iter()
                    .filter(|doc| collection.contains(**doc, *term))
                    .count();
                (*term, present as f64 * candidates.weight(*term))
            })
            .collect();
        let mut terms = theme.terms;
        terms.sort_by(|a, b| coverage[b].total_cmp(&coverage[a]).then(a.cmp(b)));
        terms.truncate(TERMS_SHOWN);
        let draft = Draft {
            kind: PatternKind::Theme,
            factor: None,
            also_factors: Vec::new(),
            channel: None,
            unit: None,
            member_docs: theme.members,
            terms,
            lift: theme.lift,
            strength: theme.score,
        };
        drafts.extend(recurrence(draft, &occurrences, settings));
    }
    drafts
}

/// Whether two terms share a word, as a phrase and its own word do: they say one thing.
pub(crate) fn nested(collection: &Collection, a: u32, b: u32) -> bool {
    collection
        .stems_of(a)
        .any(|x| collection.stems_of(b).any(|y| x == y))
}

/// The reports of each seed term, for the seeds' terms only.
fn postings(collection: &Collection, seeds: &[Seed]) -> FxHashMap<u32, Vec<u32>> {
    let mut lists: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    // One bit a term, so that reading every report's terms asks a small table.
    let mut wanted = vec![0u64; collection.term_count().div_ceil(64)];
    for term in seeds.iter().flat_map(|s| [s.a, s.b]) {
        wanted[term as usize / 64] |= 1 << (term % 64);
        lists.entry(term).or_default();
    }
    for (doc, document) in collection.documents.iter().enumerate() {
        for term in &document.terms {
            if wanted[*term as usize / 64] & (1 << (term % 64)) != 0
                && let Some(list) = lists.get_mut(term)
            {
                list.push(doc as u32);
            }
        }
    }
    lists
}

fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(intersection_len(a, b));
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// Seeds merged into themes, strongest first: a seed joins the theme whose reports it shares
/// (a BCC failure told as "bcc", "to field" and "addresses visible" is one theme).
fn merge(collection: &Collection, seeds: &[Seed]) -> Vec<Theme> {
    if seeds.is_empty() {
        return Vec::new();
    }
    let postings = postings(collection, seeds);
    let empty = Vec::new();
    let mut themes: Vec<Theme> = Vec::new();
    let mut themes_of_doc: FxHashMap<u32, Vec<usize>> = FxHashMap::default();
    for seed in seeds {
        let members = intersect(
            postings.get(&seed.a).unwrap_or(&empty),
            postings.get(&seed.b).unwrap_or(&empty),
        );
        let mut candidates: Vec<usize> = members
            .iter()
            .flat_map(|doc| themes_of_doc.get(doc).into_iter().flatten().copied())
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let joined = candidates.into_iter().find(|&index| {
            let theme = &themes[index];
            let overlap = jaccard_sorted(&theme.members, &members);
            let shares_term = theme.terms.contains(&seed.a) || theme.terms.contains(&seed.b);
            overlap >= JOIN_BY_MEMBERS || (shares_term && overlap >= JOIN_SHARING_A_TERM)
        });
        let index = match joined {
            Some(index) => {
                let theme = &mut themes[index];
                theme.members = union_sorted(&theme.members, &members);
                for term in [seed.a, seed.b] {
                    if !theme.terms.contains(&term) {
                        theme.terms.push(term);
                    }
                }
                theme.score += seed.score;
                theme.strict |= seed.strict;
                index
            }
            None => {
                themes.push(Theme {
                    terms: vec![seed.a, seed.b],
                    members: members.clone(),
                    score: seed.score,
                    lift: seed.lift,
                    strict: seed.strict,
                });
                themes.len() - 1
            }
        };
        for doc in &themes[index].members {
            let list = themes_of_doc.entry(*doc).or_default();
            if !list.contains(&index) {
                list.push(index);
            }
        }
    }
    for theme in &mut themes {
        theme.members = expanded(collection, &postings, &theme.terms);
    }
    themes.retain(|theme| theme.strict || distinct_terms(collection, &theme.terms) >= MIN_TERMS);
    themes
}

/// The reports holding two of a theme's terms that say different things: the members of the
/// theme, which its seeds alone may miss when each report words it a little differently.
fn expanded(
    collection: &Collection,
    postings: &FxHashMap<u32, Vec<u32>>,
    terms: &[u32],
) -> Vec<u32> {
    let mut present: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    for term in terms {
        for doc in postings.get(term).into_iter().flatten() {
            present.entry(*doc).or_default().push(*term);
        }
    }
    let mut members: Vec<u32> = present
        .into_iter()
        .filter(|(_, found)| {
            found
                .iter()
                .enumerate()
                .any(|(i, a)| found[i + 1..].iter().any(|b| !nested(collection, *a, *b)))
        })
        .map(|(doc, _)| doc)
        .collect();
    members.sort_unstable();
    members
}

/// How many of the terms say different things (a phrase and its own word count once).
fn distinct_terms(collection: &Collection, terms: &[u32]) -> usize {
    let mut kept: Vec<u32> = Vec::new();
    for term in terms {
        if !kept.iter().any(|other| nested(collection, *other, *term)) {
            kept.push(*term);
        }
    }
    kept.len()
}
