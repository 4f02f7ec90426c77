//! Textual recurrences: terms that occur together in reports more often than chance, merged
//! into themes by the reports they share.

use rustc_hash::{FxHashMap, FxHashSet};

use super::{
    Collection, Draft, PatternKind, Settings,
    collection::Occurrence,
    stats::{
        critical_g2, critical_g2_among, g2, intersection_len, jaccard_sorted, lift, union_sorted,
    },
    structured::recurrence,
};

/// A term in more than this share of reports is what every report says ("email", "sent").
const UBIQUITOUS_SHARE: f64 = 0.2;
/// The terms of a report that may pair up: its most specific ones, which bounds the work.
const TERMS_PER_REPORT: usize = 16;
/// Terms must occur together at least this many times more often than chance.
const MIN_LIFT: f64 = 2.0;
/// Reports two terms must share to be a pair: two rare words meeting twice is a coincidence
/// among the thousands of pairs a collection holds.
const MIN_TOGETHER: u32 = 3;
/// The strongest pairs kept as seeds of themes.
const MAX_SEEDS: usize = 5000;
/// Seeds sharing a term join a theme when their reports overlap this much.
const JOIN_SHARING_A_TERM: f64 = 0.2;
/// Seeds sharing no term join a theme when their reports overlap this much.
const JOIN_BY_MEMBERS: f64 = 0.5;
/// Words shown as what sets a factor's reports apart.
const CHARACTERISTIC_TERMS: usize = 4;
/// Terms shown for a theme.
const TERMS_SHOWN: usize = 8;

struct Seed {
    a: u32,
    b: u32,
    score: f64,
    lift: f64,
    /// Significant even counted against every pair of the collection.
    strict: bool,
}

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
    weights: &FxHashMap<u32, f64>,
    settings: &Settings,
) -> Vec<Draft> {
    let total = collection.documents.len();
    if total == 0 {
        return Vec::new();
    }
    let seeds = seeds(collection, weights);
    let themes = merge(collection, &seeds);
    let by_doc = collection.occurrences_by_doc();
    let mut drafts = Vec::new();
    for theme in themes {
        let occurrences: Vec<Occurrence> = theme
            .members
            .iter()
            .flat_map(|doc| by_doc[*doc as usize].iter().copied())
            .collect();
        let mut terms = theme.terms;
        let coverage = |term: u32| {
            let weight = weights.get(&term).copied().unwrap_or(0.0);
            let present = theme
                .members
                .iter()
                .filter(|doc| collection.surface_in(**doc, term).is_some())
                .count();
            present as f64 * weight
        };
        terms.sort_by(|a, b| coverage(*b).total_cmp(&coverage(*a)).then(a.cmp(b)));
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

/// The weight of each candidate term: how much it says beyond ordinary English. Terms too
/// rare to pair up (fewer than three reports), or shared by most reports, are no candidates.
pub(crate) fn term_weights(collection: &Collection) -> FxHashMap<u32, f64> {
    let total = collection.documents.len() as f64;
    let words = collection.words();
    let mut weights = FxHashMap::default();
    for (id, term) in collection.terms.iter().enumerate() {
        let share = f64::from(term.documents) / total;
        // A term in fewer reports than a pair needs can never be part of one.
        if term.documents < MIN_TOGETHER || share > UBIQUITOUS_SHARE {
            continue;
        }
        let informativeness = term
            .key
            .split(' ')
            .map(|stem| words.informativeness(stem))
            .fold(0.0, f64::max);
        if informativeness > 0.0 {
            weights.insert(id as u32, informativeness);
        }
    }
    weights
}

fn components(collection: &Collection, term: u32) -> impl Iterator<Item = &str> {
    collection.terms[term as usize].key.split(' ')
}

/// Whether two terms share a word, as a phrase and its own word do: they say one thing.
fn nested(collection: &Collection, a: u32, b: u32) -> bool {
    components(collection, a).any(|x| components(collection, b).any(|y| x == y))
}

/// Pairs of terms that occur together significantly more often than chance, strongest first.
fn seeds(collection: &Collection, weights: &FxHashMap<u32, f64>) -> Vec<Seed> {
    let total = collection.documents.len() as f64;
    let specificity = |term: u32| {
        let documents = f64::from(collection.terms[term as usize].documents);
        weights
            .get(&term)
            .map_or(0.0, |w| w * (total / documents).ln().sqrt())
    };
    let mut pairs: FxHashMap<(u32, u32), u32> = FxHashMap::default();
    let mut chosen: Vec<(f64, u32)> = Vec::new();
    for document in &collection.documents {
        chosen.clear();
        chosen.extend(
            document
                .terms
                .iter()
                .filter(|(term, _)| weights.contains_key(term))
                .map(|(term, _)| (specificity(*term), *term)),
        );
        chosen.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        chosen.truncate(TERMS_PER_REPORT);
        for (i, (_, a)) in chosen.iter().enumerate() {
            for (_, b) in &chosen[i + 1..] {
                let key = if a < b { (*a, *b) } else { (*b, *a) };
                *pairs.entry(key).or_default() += 1;
            }
        }
    }
    // Pairs that meet fewer times than a theme needs were never candidates; the others are
    // the tests the correction counts. Passing among all pairs is stronger evidence still.
    let tested = pairs.values().filter(|both| **both >= MIN_TOGETHER).count();
    let (critical, strict) = (critical_g2_among(tested), critical_g2_among(pairs.len()));
    let documents = |term: u32| u64::from(collection.terms[term as usize].documents);
    let mut seeds: Vec<Seed> = pairs
        .into_iter()
        .filter(|(_, both)| *both >= MIN_TOGETHER)
        .filter_map(|((a, b), both)| {
            let (both, total) = (u64::from(both), total as u64);
            let association = g2(both, documents(a), documents(b), total);
            let lift = lift(both, documents(a), documents(b), total);
            (association >= critical && lift >= MIN_LIFT && !nested(collection, a, b)).then(|| {
                let weight = (weights[&a] + weights[&b]) / 2.0;
                Seed {
                    a,
                    b,
                    score: association * weight,
                    lift,
                    strict: association >= strict,
                }
            })
        })
        .filter(|seed| !collocation(collection, seed))
        .collect();
    seeds.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then((x.a, x.b).cmp(&(y.a, y.b)))
    });
    seeds.truncate(MAX_SEEDS);
    seeds
}

/// Two words that nearly always stand side by side ("press" and "release") are one phrase,
/// which is a term of its own; as a pair they would only say that the phrase exists.
fn collocation(collection: &Collection, seed: &Seed) -> bool {
    let (a, b) = (
        &collection.terms[seed.a as usize].key,
        &collection.terms[seed.b as usize].key,
    );
    if a.contains(' ') || b.contains(' ') {
        return false;
    }
    let both = collection.terms[seed.a as usize]
        .documents
        .min(collection.terms[seed.b as usize].documents);
    [format!("{a} {b}"), format!("{b} {a}")]
        .iter()
        .any(|phrase| {
            collection.term_id(phrase).is_some_and(|term| {
                f64::from(collection.terms[term as usize].documents) >= 0.5 * f64::from(both)
            })
        })
}

/// The reports of each seed term, for the seeds' terms only.
fn postings(collection: &Collection, seeds: &[Seed]) -> FxHashMap<u32, Vec<u32>> {
    let wanted: FxHashSet<u32> = seeds.iter().flat_map(|s| [s.a, s.b]).collect();
    let mut postings: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    for (doc, document) in collection.documents.iter().enumerate() {
        for (term, _) in &document.terms {
            if wanted.contains(term) {
                postings.entry(*term).or_default().push(doc as u32);
            }
        }
    }
    postings
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

/// The words that set a group of reports apart from the rest: terms most of them share,
/// significantly more often than the collection, strongest first. They explain a factor's
/// pattern in the reports' own words, and mark them in each member.
pub(crate) fn characteristic_terms(
    collection: &Collection,
    weights: &FxHashMap<u32, f64>,
    members: &[u32],
) -> Vec<u32> {
    let total = collection.documents.len() as u64;
    let mut counts: FxHashMap<u32, u64> = FxHashMap::default();
    for doc in members {
        for (term, _) in &collection.documents[*doc as usize].terms {
            if weights.contains_key(term) {
                *counts.entry(*term).or_default() += 1;
            }
        }
    }
    let enough = (members.len() as u64).div_ceil(3).max(2);
    let mut scored: Vec<(f64, u32)> = counts
        .into_iter()
        .filter(|(_, count)| *count >= enough)
        .filter_map(|(term, count)| {
            let documents = u64::from(collection.terms[term as usize].documents);
            let association = g2(count, members.len() as u64, documents, total);
            let lift = lift(count, members.len() as u64, documents, total);
            (association >= critical_g2() && lift >= MIN_LIFT)
                .then(|| (association * weights[&term], term))
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
