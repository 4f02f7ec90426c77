//! A pattern's identity across runs, and how its status follows what it does.

use super::{Month, Pattern, stats::jaccard_sorted};

/// A pattern as the previous run stored it.
#[derive(Clone, Debug)]
pub struct Previous {
    pub id: i64,
    pub signature: String,
    /// Member references.
    pub members: Vec<String>,
    pub stems: Vec<String>,
}

/// Below this overlap of members or terms, a pattern is a new one.
const SAME_PATTERN: f64 = 0.5;

/// For each pattern, the previous pattern it continues, if any: the one with the same
/// signature, else the one sharing most of its members or terms. Each previous pattern is
/// continued once at most, so that re-running never makes two of one.
pub fn match_previous(patterns: &[Pattern], previous: &[Previous]) -> Vec<Option<i64>> {
    let mut matched: Vec<Option<i64>> = vec![None; patterns.len()];
    let mut taken = vec![false; previous.len()];
    for (i, pattern) in patterns.iter().enumerate() {
        if let Some(j) = previous
            .iter()
            .position(|p| p.signature == pattern.signature)
            .filter(|j| !taken[*j])
        {
            matched[i] = Some(previous[j].id);
            taken[j] = true;
        }
    }
    let sorted = |items: &mut Vec<String>| {
        items.sort_unstable();
        items.dedup();
    };
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    for (i, pattern) in patterns.iter().enumerate() {
        if matched[i].is_some() {
            continue;
        }
        let mut members: Vec<String> = pattern
            .members
            .iter()
            .map(|m| m.reference.clone())
            .collect();
        sorted(&mut members);
        let mut stems = pattern.stems.clone();
        sorted(&mut stems);
        for (j, old) in previous.iter().enumerate() {
            if taken[j]
                || (old.signature.starts_with("local:") != pattern.signature.starts_with("local:"))
            {
                continue;
            }
            let (mut old_members, mut old_stems) = (old.members.clone(), old.stems.clone());
            sorted(&mut old_members);
            sorted(&mut old_stems);
            let similarity =
                jaccard_sorted(&members, &old_members).max(jaccard_sorted(&stems, &old_stems));
            if similarity >= SAME_PATTERN {
                candidates.push((similarity, i, j));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
    for (_, i, j) in candidates {
        if matched[i].is_none() && !taken[j] {
            matched[i] = Some(previous[j].id);
            taken[j] = true;
        }
    }
    matched
}

/// Where a pattern stands with the people who look after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    New,
    Acknowledged,
    Dismissed,
    Addressed,
    Regressed,
}

/// Whether a dismissed pattern has grown clearly since: by half again, and by three at least,
/// so that one more occurrence never brings back what a person decided to set aside.
pub fn grown_clearly(at_dismissal: usize, now: usize) -> bool {
    now >= at_dismissal + (at_dismissal.div_ceil(2)).max(3)
}

/// The status after a run: a dismissed pattern that grew clearly is new again; an addressed
/// one that occurred after the month it was addressed has regressed; others stay as they are.
pub fn next_status(
    status: Status,
    occurrences_at_dismissal: Option<usize>,
    addressed_in: Option<Month>,
    occurrences: usize,
    last_seen: Month,
) -> Status {
    match status {
        Status::Dismissed
            if occurrences_at_dismissal.is_some_and(|then| grown_clearly(then, occurrences)) =>
        {
            Status::New
        }
        Status::Addressed if addressed_in.is_some_and(|month| last_seen > month) => {
            Status::Regressed
        }
        other => other,
    }
}
