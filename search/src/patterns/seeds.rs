//! The seeds of themes: pairs of terms that occur together in reports significantly more
//! often than chance, counted among each report's most specific terms.

use super::{
    Collection,
    candidates::Candidates,
    chosen::{Chosen, Counted},
    stats::{critical_g2_among, g2, lift},
    words::ID_BITS,
};
/// Terms must occur together at least this many times more often than chance.
pub(crate) const MIN_LIFT: f64 = 2.0;
/// The strongest pairs kept as seeds of themes.
const MAX_SEEDS: usize = 5000;

pub(crate) struct Seed {
    pub a: u32,
    pub b: u32,
    pub score: f64,
    pub lift: f64,
    /// Significant even counted against every pair of the collection.
    pub strict: bool,
}

/// Pairs of terms that occur together significantly more often than chance, strongest first.
pub(crate) fn seeds(collection: &Collection, candidates: &Candidates) -> Vec<Seed> {
    let total = collection.documents.len() as u64;
    let chosen = Chosen::new(collection, candidates);
    let Counted { pairs, met } = chosen.pairs(candidates.len());
    // Pairs that meet fewer times than a theme needs were never candidates; the others are
    // the tests the correction counts. Passing among all pairs is stronger evidence still.
    let (critical, strict) = (critical_g2_among(pairs.len()), critical_g2_among(met));
    let documents = |n: u32| u64::from(candidates.documents[n as usize]);
    let mut seeds: Vec<Seed> = pairs
        .into_iter()
        .filter_map(|(x, y, both)| {
            let both = u64::from(both);
            let association = g2(both, documents(x), documents(y), total);
            let lift = lift(both, documents(x), documents(y), total);
            let (a, b) = (candidates.terms[x as usize], candidates.terms[y as usize]);
            let fewer = candidates.documents[x as usize].min(candidates.documents[y as usize]);
            (association >= critical
                && lift >= MIN_LIFT
                && !super::themes::nested(collection, a, b)
                && !collocation(collection, a, b, fewer))
            .then(|| {
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
/// which is a term of its own; as a pair they would only say that the phrase exists. `fewer`
/// is how many reports hold the rarer of the two.
fn collocation(collection: &Collection, a: u32, b: u32, fewer: u32) -> bool {
    let (a, b) = (collection.key_of(a), collection.key_of(b));
    if a >> ID_BITS != 0 || b >> ID_BITS != 0 {
        return false;
    }
    // One stem each: the phrase is the other's stem after this one's.
    [a | b << ID_BITS, b | a << ID_BITS].iter().any(|phrase| {
        collection
            .entry_of(*phrase)
            .is_some_and(|entry| f64::from(entry.documents) >= 0.5 * f64::from(fewer))
    })
}
