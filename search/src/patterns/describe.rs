//! Turning a draft into a pattern that explains itself: title, sentence, members with their
//! matching words, units, months, trend and score.

use std::collections::{BTreeMap, BTreeSet};

use super::{
    Collection, Draft, Member, Month, Pattern, PatternKind, Settings, Trend,
    occurrences::{ByDoc, Occurrence},
};

pub(crate) fn finish(
    draft: Draft,
    collection: &Collection,
    by_doc: &ByDoc,
    settings: &Settings,
) -> Pattern {
    let occurrences: Vec<Occurrence> = draft
        .member_docs
        .iter()
        .flat_map(|doc| by_doc.of(*doc).iter().copied())
        // A local pattern counts what happened in its unit only.
        .filter(|o| draft.unit.is_none() || o.unit == draft.unit)
        .collect();
    let units: BTreeSet<&str> = occurrences
        .iter()
        .filter_map(|o| o.unit)
        .map(|unit| collection.units[unit as usize].as_str())
        .collect();
    let mut by_month: BTreeMap<Month, usize> = BTreeMap::new();
    for occurrence in &occurrences {
        *by_month.entry(occurrence.month).or_default() += 1;
    }
    let first_seen = by_month.keys().next().copied().unwrap_or(settings.as_of);
    let last_seen = by_month.keys().last().copied().unwrap_or(settings.as_of);
    let window = settings.window_months();
    let count_between = |from: u32, to: u32| {
        occurrences
            .iter()
            .filter(|o| o.month.0 + from > settings.as_of.0 && o.month.0 + to <= settings.as_of.0)
            .count()
    };
    let trend = Trend {
        current: count_between(window, 0),
        previous: count_between(2 * window, window),
    };
    let terms: Vec<String> = draft
        .terms
        .iter()
        .map(|term| collection.surface(*term))
        .collect();
    let stems: Vec<String> = draft
        .terms
        .iter()
        .map(|term| collection.key(*term))
        .collect();
    let members = draft
        .member_docs
        .iter()
        .map(|doc| Member {
            reference: collection.documents[*doc as usize].reference.clone(),
            matched: draft
                .terms
                .iter()
                .filter_map(|term| collection.surface_in(*doc, *term))
                .collect(),
        })
        .collect();
    let unit = draft.unit.map(|u| collection.units[u as usize].clone());
    let signature = signature(&draft, &stems, unit.as_deref());
    let title = title(&draft, collection, &terms, unit.as_deref());
    let explanation = explanation(
        &draft,
        collection,
        &terms,
        occurrences.len(),
        units.len(),
        first_seen,
    );
    let score = draft.strength * (1.0 + units.len() as f64).ln();
    Pattern {
        signature,
        kind: draft.kind,
        title,
        explanation,
        terms,
        stems,
        factors: draft
            .factor
            .iter()
            .chain(&draft.also_factors)
            .cloned()
            .collect(),
        channel: draft.channel.clone(),
        unit,
        members,
        occurrences: occurrences.len(),
        units: units.into_iter().map(str::to_owned).collect(),
        first_seen,
        last_seen,
        by_month: by_month.into_iter().collect(),
        trend,
        score: (score * 10.0).round() / 10.0,
    }
}

fn signature(draft: &Draft, stems: &[String], unit: Option<&str>) -> String {
    let key = match (&draft.factor, &draft.channel) {
        (Some(factor), Some(channel)) => format!("factor:{factor}|channel:{channel}"),
        (Some(factor), None) => format!("factor:{factor}"),
        _ => {
            let mut strongest: Vec<&str> = stems.iter().take(3).map(String::as_str).collect();
            strongest.sort_unstable();
            format!("theme:{}", strongest.join("+"))
        }
    };
    match unit {
        Some(unit) => format!("local:{unit}:{key}"),
        None => key,
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// "a", "a and b", "a, b and c".
fn listed(items: &[String], quoted: bool) -> String {
    listed_with(items, quoted, "and")
}

fn listed_with(items: &[String], quoted: bool, conjunction: &str) -> String {
    let items: Vec<String> = items
        .iter()
        .map(|item| {
            if quoted {
                format!("“{item}”")
            } else {
                item.clone()
            }
        })
        .collect();
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} {conjunction} {last}", rest.join(", ")),
    }
}

fn title(draft: &Draft, collection: &Collection, terms: &[String], unit: Option<&str>) -> String {
    let base = match (&draft.factor, &draft.channel) {
        (Some(factor), Some(channel)) => format!(
            "{} ({})",
            collection.factor_name(factor),
            collection.channel_name(channel).to_lowercase()
        ),
        (Some(factor), None) => collection.factor_name(factor).to_owned(),
        _ => capitalised(&listed(&terms[..terms.len().min(3)], false)),
    };
    match unit {
        Some(unit) => format!("{base}, again in {unit}"),
        None => base,
    }
}

fn explanation(
    draft: &Draft,
    collection: &Collection,
    terms: &[String],
    occurrences: usize,
    units: usize,
    first_seen: Month,
) -> String {
    let reports = draft.member_docs.len();
    let counted = if occurrences > reports {
        format!(
            "{occurrences} occurrences ({reports} published reports, the others merged into them or marked “happened to us too”)"
        )
    } else {
        format!("{reports} reports")
    };
    let place = if draft.kind == PatternKind::Local {
        "in one unit".to_owned()
    } else {
        format!("from {units} units")
    };
    let words = if terms.is_empty() {
        String::new()
    } else {
        format!(
            "; they mention {}",
            listed(&terms[..terms.len().min(4)], true)
        )
    };
    match (&draft.factor, &draft.channel) {
        (Some(factor), Some(channel)) => format!(
            "{counted} {place} since {first_seen} name “{}” as a contributing factor on {}, {:.1}× that channel’s share of all reports{words}.",
            collection.factor_name(factor),
            collection.channel_name(channel).to_lowercase(),
            draft.lift,
        ),
        (Some(factor), None) => {
            let names: Vec<String> = std::iter::once(factor)
                .chain(&draft.also_factors)
                .map(|f| collection.factor_name(f).to_owned())
                .collect();
            format!(
                "{counted} {place} since {first_seen} name {} as a contributing factor{words}.",
                listed_with(&names, true, "or"),
            )
        }
        _ => format!(
            "{counted} {place} since {first_seen} mention {} together, {:.1}× as often as chance would have them.",
            listed(&terms[..terms.len().min(4)], true),
            draft.lift,
        ),
    }
}
