//! Textual recurrences: terms that occur together in reports more often than chance, merged
//! into themes by the reports they share.

use rustc_hash::FxHashMap;

use super::{
    Collection, Draft, PatternKind, Settings,
    candidates::{Candidates, MIN_TOGETHER},
    collection::Occurrence,
    stats::{
        critical_g2, critical_g2_among, g2, intersection_len, jaccard_sorted, lift, union_sorted,
    },
    structured::recurrence,
    words::ID_BITS,
};

/// The terms of a report that may pair up: its most specific ones, which bounds the work.
const TERMS_PER_REPORT: usize = 16;
/// Terms must occur together at least this many times more often than chance.
const MIN_LIFT: f64 = 2.0;
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
    candidates: &Candidates,
    settings: &Settings,
) -> Vec<Draft> {
    let total = collection.documents.len();
    if total == 0 {
        return Vec::new();
    }
    let seeds = seeds(collection, candidates);
    let themes = merge(collection, candidates, &seeds);
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
            let weight = candidates.weight(term);
            let present = theme
                .members
                .iter()
                .filter(|doc| collection.contains(**doc, term))
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

/// Whether two terms share a word, as a phrase and its own word do: they say one thing.
fn nested(collection: &Collection, a: u32, b: u32) -> bool {
    collection
        .stems_of(a)
        .any(|x| collection.stems_of(b).any(|y| x == y))
}

/// Marks for "no such term" in dense tables indexed by term.
const NONE: u32 = u32::MAX;

/// Pairs of terms that occur together significantly more often than chance, strongest first.
fn seeds(collection: &Collection, candidates: &Candidates) -> Vec<Seed> {
    let total = collection.documents.len() as f64;
    let specificity: Vec<f64> = candidates
        .weights
        .iter()
        .zip(&candidates.documents)
        .map(|(weight, documents)| weight * (total / f64::from(*documents)).ln().sqrt())
        .collect();
    // Each report's most specific candidates; numbers follow term ids, so ties break alike.
    let mut chosen: Vec<(f64, u32)> = Vec::new();
    let mut top: Vec<u32> = Vec::with_capacity(collection.documents.len() * TERMS_PER_REPORT);
    let mut starts: Vec<usize> = Vec::with_capacity(collection.documents.len() + 1);
    let mut holding: Vec<Vec<u32>> = vec![Vec::new(); candidates.len()];
    for doc in 0..collection.documents.len() as u32 {
        chosen.clear();
        chosen.extend(
            candidates
                .of(doc)
                .iter()
                .map(|number| (specificity[*number as usize], *number)),
        );
        chosen.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        chosen.truncate(TERMS_PER_REPORT);
        starts.push(top.len());
        for (_, number) in &chosen {
            top.push(*number);
            holding[*number as usize].push(doc);
        }
    }
    starts.push(top.len());
    // Each term's partners counted in one table, term by term: no map of pairs, which a large
    // collection holds by the tens of millions.
    let mut together = vec![0u32; candidates.len()];
    let mut touched: Vec<u32> = Vec::new();
    let mut met = 0usize;
    let mut pairs: Vec<(u32, u32, u32)> = Vec::new();
    for (a, docs) in holding.iter().enumerate() {
        for doc in docs {
            for b in &top[starts[*doc as usize]..starts[*doc as usize + 1]] {
                if *b as usize <= a {
                    continue;
                }
                if together[*b as usize] == 0 {
                    touched.push(*b);
                }
                together[*b as usize] += 1;
            }
        }
        met += touched.len();
        for b in touched.drain(..) {
            let both = std::mem::take(&mut together[b as usize]);
            if both >= MIN_TOGETHER {
                pairs.push((a as u32, b, both));
            }
        }
    }
    drop(holding);
    // Pairs that meet fewer times than a theme needs were never candidates; the others are
    // the tests the correction counts. Passing among all pairs is stronger evidence still.
    let (critical, strict) = (critical_g2_among(pairs.len()), critical_g2_among(met));
    let documents = |n: u32| u64::from(candidates.documents[n as usize]);
    let mut seeds: Vec<Seed> = pairs
        .into_iter()
        .filter_map(|(x, y, both)| {
            let (both, total) = (u64::from(both), total as u64);
            let association = g2(both, documents(x), documents(y), total);
            let lift = lift(both, documents(x), documents(y), total);
            let (a, b) = (candidates.terms[x as usize], candidates.terms[y as usize]);
            (association >= critical && lift >= MIN_LIFT && !nested(collection, a, b)).then(|| {
                let weight =
                    (candidates.weights[x as usize] + candidates.weights[y as usize]) / 2.0;
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
    let (a, b) = (collection.key_of(seed.a), collection.key_of(seed.b));
    if collection.stems_of(seed.a).count() != 1 || collection.stems_of(seed.b).count() != 1 {
        return false;
    }
    let both = collection.terms[seed.a as usize]
        .documents
        .min(collection.terms[seed.b as usize].documents);
    // One stem each: the phrase is the other's stem after this one's.
    [a | b << ID_BITS, b | a << ID_BITS].iter().any(|phrase| {
        collection.term_of(*phrase).is_some_and(|term| {
            f64::from(collection.terms[term as usize].documents) >= 0.5 * f64::from(both)
        })
    })
}

/// The reports of each seed term, for the seeds' terms only.
fn postings(
    collection: &Collection,
    candidates: &Candidates,
    seeds: &[Seed],
) -> FxHashMap<u32, Vec<u32>> {
    let mut slot = vec![NONE; candidates.len()];
    let mut lists: Vec<(u32, Vec<u32>)> = Vec::new();
    for term in seeds.iter().flat_map(|s| [s.a, s.b]) {
        if let Some(number) = candidates.number(term)
            && slot[number as usize] == NONE
        {
            slot[number as usize] = lists.len() as u32;
            lists.push((term, Vec::new()));
        }
    }
    for doc in 0..collection.documents.len() as u32 {
        for number in candidates.of(doc) {
            let at = slot[*number as usize];
            if at != NONE {
                lists[at as usize].1.push(doc);
            }
        }
    }
    lists.into_iter().collect()
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
fn merge(collection: &Collection, candidates: &Candidates, seeds: &[Seed]) -> Vec<Theme> {
    let postings = postings(collection, candidates, seeds);
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
    candidates: &Candidates,
    members: &[u32],
) -> Vec<u32> {
    let total = collection.documents.len() as u64;
    let enough = (members.len() as u64).div_ceil(3).max(2);
    let mut scored: Vec<(f64, u32)> = shared_terms(candidates, members)
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

/// Members counted in full up to this many; a larger group is first sampled for the terms
/// that may be held by a third of it, which are then counted in full.
const SAMPLE: usize = 4096;

/// How many of the members hold each candidate (by number), for the candidates that may be
/// held by a third of them.
fn shared_terms(candidates: &Candidates, members: &[u32]) -> Vec<(u32, u64)> {
    let mut counts = vec![0u64; candidates.len()];
    let mut touched: Vec<u32> = Vec::new();
    let step = members.len().div_ceil(SAMPLE).max(1);
    for doc in members.iter().step_by(step) {
        for number in candidates.of(*doc) {
            if counts[*number as usize] == 0 {
                touched.push(*number);
            }
            counts[*number as usize] += 1;
        }
    }
    if step == 1 {
        return touched
            .into_iter()
            .map(|number| (number, counts[number as usize]))
            .collect();
    }
    // A term in a third of the group is in far more than a quarter of an even sample of it
    // (more than ten standard deviations at 4096): none is missed.
    let sampled = members.len().div_ceil(step) as u64;
    touched
        .into_iter()
        .filter(|number| counts[*number as usize] * 4 >= sampled)
        .map(|number| {
            let n = members
                .iter()
                .filter(|doc| candidates.of(**doc).binary_search(&number).is_ok())
                .count() as u64;
            (number, n)
        })
        .collect()
}
