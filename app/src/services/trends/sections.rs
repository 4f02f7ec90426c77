//! The report's lists: recurring patterns that moved in the period, and guideline changes
//! that took effect in it with their measured effect on the patterns they cite. Patterns
//! exist only over several reports and units, so they are listed, not counted; patterns
//! local to one unit are left out, as they would point at it.

use std::collections::{BTreeSet, HashMap};

use entities::{guideline, guideline_evidence, guideline_revision, pattern};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use time::Date;

use super::period::Period;
use crate::{
    error::Result,
    services::{
        effect::{self, Effect},
        guidelines::EvidenceKind,
        patterns::{PatternKind, PatternStatus},
    },
    vocabulary::Channel,
};

/// How a pattern moved in the period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Movement {
    New,
    Growing,
    Addressed,
    Regressed,
}

impl Movement {
    pub const ALL: [Self; 4] = [Self::New, Self::Growing, Self::Addressed, Self::Regressed];

    pub fn slug(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Growing => "growing",
            Self::Addressed => "addressed",
            Self::Regressed => "regressed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::New => "First seen in the period",
            Self::Growing => "Growing",
            Self::Addressed => "Addressed in the period",
            Self::Regressed => "Occurring again after it was addressed",
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct PatternLine {
    pub id: i32,
    pub movement: Movement,
    pub title: String,
    pub occurrences: u32,
    pub units: u32,
    pub status: PatternStatus,
}

#[derive(Clone, Debug)]
pub struct GuidelineChange {
    pub guideline: String,
    pub slug: String,
    pub revision: i32,
    pub change: String,
    pub effective_from: String,
    pub rationale: String,
    /// The measured effect on each pattern the change cites, over the whole organisation.
    pub effects: Vec<ChangeEffect>,
    /// Why nothing was measured, in plain words, when `effects` is empty.
    pub unmeasured: Option<&'static str>,
}

/// A change's effect on one pattern it cites.
#[derive(Clone, Debug)]
pub struct ChangeEffect {
    pub pattern_id: i32,
    pub pattern_title: String,
    pub effect: Effect,
}

/// What a change without a measured effect says instead.
const NO_PATTERN: &str = "no pattern cited; effect not measured";
const ONLY_LOCAL: &str =
    "cites only patterns local to one unit, which trend reports leave out; effect not shown";
const GONE: &str = "the patterns it cites are no longer recorded; effect not measured";

/// Patterns across units that are new, growing, addressed or regressed in the period, within
/// the unit subtree (`unit` is its path) and channel.
pub async fn patterns(
    db: &impl ConnectionTrait,
    period: &Period,
    unit: Option<&str>,
    channel: Option<Channel>,
) -> Result<Vec<PatternLine>> {
    let months = period.months();
    let (Some(first), Some(last)) = (months.first(), months.last()) else {
        return Ok(Vec::new());
    };
    let (first, last) = (first.to_string(), last.to_string());
    let within = |m: &str| m >= first.as_str() && m <= last.as_str();
    let found = pattern::Entity::find()
        .filter(pattern::Column::Active.eq(true))
        .filter(pattern::Column::Kind.ne("local"))
        .order_by_desc(pattern::Column::Score)
        .all(db)
        .await?;
    let mut lines = Vec::new();
    for p in found {
        if let Some(unit) = unit {
            let units: Vec<String> = serde_json::from_str(&p.units).unwrap_or_default();
            let under = |path: &String| path == unit || path.starts_with(&format!("{unit}/"));
            if !units.iter().any(under) {
                continue;
            }
        }
        if let (Some(channel), Some(own)) = (channel, p.channel.as_deref())
            && own != channel.slug()
        {
            continue;
        }
        let status = PatternStatus::from_slug(&p.status).unwrap_or(PatternStatus::New);
        let movement = if status == PatternStatus::Regressed && within(&p.last_seen) {
            Movement::Regressed
        } else if p.addressed_in.as_deref().is_some_and(within) {
            Movement::Addressed
        } else if within(&p.first_seen) {
            Movement::New
        } else if p.trend == "rising" && within(&p.last_seen) {
            Movement::Growing
        } else {
            continue;
        };
        lines.push(PatternLine {
            id: p.id,
            movement,
            title: p.title,
            occurrences: u32::try_from(p.occurrences).unwrap_or(0),
            units: u32::try_from(p.unit_count).unwrap_or(0),
            status,
        });
    }
    lines.sort_by_key(|l| Movement::ALL.iter().position(|m| *m == l.movement));
    Ok(lines)
}

/// Guideline revisions that took effect in the period, oldest first, each with its effect on
/// the patterns it cites, measured on `as_of` with the detection window `window_days`.
pub async fn guideline_changes(
    db: &impl ConnectionTrait,
    period: &Period,
    as_of: Date,
    window_days: u32,
) -> Result<Vec<GuidelineChange>> {
    let revisions = guideline_revision::Entity::find()
        .filter(guideline_revision::Column::EffectiveFrom.gte(period.from))
        .filter(guideline_revision::Column::EffectiveFrom.lte(period.to))
        .order_by_asc(guideline_revision::Column::EffectiveFrom)
        .order_by_asc(guideline_revision::Column::Id)
        .all(db)
        .await?;
    if revisions.is_empty() {
        return Ok(Vec::new());
    }
    let guidelines = guideline::Entity::find().all(db).await?;
    let cited = cited_patterns(db, revisions.iter().map(|r| r.id).collect()).await?;
    let ids: BTreeSet<i32> = cited.values().flatten().copied().collect();
    let patterns: HashMap<i32, pattern::Model> = if ids.is_empty() {
        HashMap::new()
    } else {
        pattern::Entity::find()
            .filter(pattern::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect()
    };
    // Every effect divides by the same published reports by month: one query for all.
    let reports = if patterns.is_empty() {
        Vec::new()
    } else {
        effect::published_by_month(db).await?
    };
    Ok(revisions
        .into_iter()
        .filter_map(|r| {
            let g = guidelines.iter().find(|g| g.id == r.guideline_id)?;
            let cites = cited.get(&r.id).map(Vec::as_slice).unwrap_or_default();
            let found: Vec<&pattern::Model> =
                cites.iter().filter_map(|id| patterns.get(id)).collect();
            let effects: Vec<ChangeEffect> = found
                .iter()
                .filter(|p| p.kind != PatternKind::Local.slug())
                .map(|p| ChangeEffect {
                    pattern_id: p.id,
                    pattern_title: p.title.clone(),
                    effect: effect::measure(
                        &effect::occurrences(p),
                        &reports,
                        r.effective_from,
                        as_of,
                        window_days,
                    ),
                })
                .collect();
            let unmeasured = match (cites.is_empty(), found.is_empty(), effects.is_empty()) {
                (_, _, false) => None,
                (true, _, _) => Some(NO_PATTERN),
                (false, true, _) => Some(GONE),
                (false, false, true) => Some(ONLY_LOCAL),
            };
            Some(GuidelineChange {
                guideline: g.title.clone(),
                slug: g.slug.clone(),
                revision: r.number,
                change: r.change,
                effective_from: r.effective_from.to_string(),
                rationale: r.rationale,
                effects,
                unmeasured,
            })
        })
        .collect())
}

/// The patterns each revision cites as evidence (`pattern:N`), in the order cited.
async fn cited_patterns(
    db: &impl ConnectionTrait,
    revisions: Vec<i32>,
) -> Result<HashMap<i32, Vec<i32>>> {
    let evidence = guideline_evidence::Entity::find()
        .filter(guideline_evidence::Column::RevisionId.is_in(revisions))
        .filter(guideline_evidence::Column::Kind.eq(EvidenceKind::Pattern.slug()))
        .order_by_asc(guideline_evidence::Column::Id)
        .all(db)
        .await?;
    let mut cited: HashMap<i32, Vec<i32>> = HashMap::new();
    for e in evidence {
        let Ok(id) = e.key.parse::<i32>() else {
            continue;
        };
        let ids = cited.entry(e.revision_id).or_default();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(cited)
}
