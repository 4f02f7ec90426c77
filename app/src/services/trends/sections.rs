//! The report's lists: recurring patterns that moved in the period, and guideline changes
//! that took effect in it. Patterns exist only over several reports and units, so they are
//! listed, not counted; patterns local to one unit are left out, as they would point at it.

use entities::{guideline, guideline_revision, pattern};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use super::period::Period;
use crate::{error::Result, services::patterns::PatternStatus, vocabulary::Channel};

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

#[derive(Clone, Debug, Serialize)]
pub struct GuidelineChange {
    pub guideline: String,
    pub slug: String,
    pub revision: i32,
    pub change: String,
    pub effective_from: String,
    pub rationale: String,
}

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

/// Guideline revisions that took effect in the period, oldest first.
pub async fn guideline_changes(
    db: &impl ConnectionTrait,
    period: &Period,
) -> Result<Vec<GuidelineChange>> {
    let revisions = guideline_revision::Entity::find()
        .filter(guideline_revision::Column::EffectiveFrom.gte(period.from))
        .filter(guideline_revision::Column::EffectiveFrom.lte(period.to))
        .order_by_asc(guideline_revision::Column::EffectiveFrom)
        .order_by_asc(guideline_revision::Column::Id)
        .all(db)
        .await?;
    let guidelines = guideline::Entity::find().all(db).await?;
    Ok(revisions
        .into_iter()
        .filter_map(|r| {
            let g = guidelines.iter().find(|g| g.id == r.guideline_id)?;
            Some(GuidelineChange {
                guideline: g.title.clone(),
                slug: g.slug.clone(),
                revision: r.number,
                change: r.change,
                effective_from: r.effective_from.to_string(),
                rationale: r.rationale,
            })
        })
        .collect())
}
