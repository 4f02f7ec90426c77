//! Correcting what a report is about: its channel, impact and contributing factors.

use entities::{report, report_factor};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, QueryFilter,
};

use crate::{
    error::{FieldError, Result},
    services::{
        reports::{choice, factor_ids},
        taxonomy,
    },
    vocabulary::{Channel, Impact},
};

/// The channel, impact and contributing factors a moderator sets, as slugs; `None` keeps
/// what the report has, so that a client may correct one of them alone. A report logged by
/// a person always has a channel and an impact, so a correction keeps both; an imported one
/// may have neither, and may go on without them (an empty slug).
#[derive(Clone, Debug, Default)]
pub struct Classification {
    pub channel: Option<String>,
    pub impact: Option<String>,
    pub factors: Option<Vec<String>>,
}

/// A classification that passed the checks the report form makes.
pub(super) struct Checked {
    channel: Option<Channel>,
    impact: Option<Impact>,
    /// Ids and slugs, by id; `None` keeps the report's.
    factors: Option<Vec<(i32, String)>>,
}

/// Checks every part at once, with the report form's messages: the outer `Result` is the
/// database's, the inner one the moderator's.
pub(super) async fn check(
    db: &impl ConnectionTrait,
    report: &report::Model,
    classification: &Classification,
) -> Result<Result<Checked, Vec<FieldError>>> {
    let known = taxonomy::factors_by_slug(db).await?;
    // A person who logged it had to name both.
    let required = report.receipt_hash.is_some();
    let or_kept = |chosen: &Option<String>, kept: &Option<String>| match chosen {
        Some(slug) => Some(slug.clone()),
        None => kept.clone(),
    };
    let channel = choice(
        &or_kept(&classification.channel, &report.channel),
        required,
        Channel::from_slug,
        Channel::expected,
    );
    let impact = choice(
        &or_kept(&classification.impact, &report.impact),
        required,
        Impact::from_slug,
        Impact::expected,
    );
    let factors = classification
        .factors
        .as_ref()
        .map(|slugs| factor_ids(slugs, &known))
        .transpose();
    Ok(match (channel, impact, factors) {
        (Ok(channel), Ok(impact), Ok(ids)) => Ok(Checked {
            channel,
            impact,
            factors: ids.map(|ids| {
                let mut factors: Vec<(i32, String)> = known
                    .into_values()
                    .filter(|f| ids.contains(&f.id))
                    .map(|f| (f.id, f.slug))
                    .collect();
                factors.sort_unstable();
                factors
            }),
        }),
        (channel, impact, factors) => Err([
            ("channel", channel.err()),
            ("impact", impact.err()),
            ("factors", factors.err()),
        ]
        .into_iter()
        .filter_map(|(field, reason)| reason.map(|r| FieldError::new(field, r)))
        .collect()),
    })
}

/// Stores the classification and says what changed, for the audit log; `None` when nothing
/// did.
pub(super) async fn store(
    tx: &DatabaseTransaction,
    report: &report::Model,
    checked: Checked,
) -> Result<Option<String>> {
    let mut changes = Vec::new();
    let channel = checked.channel.map(|c| c.slug().to_owned());
    let impact = checked.impact.map(|i| i.slug().to_owned());
    if channel != report.channel {
        changes.push(format!("channel {}", change(&report.channel, &channel)));
    }
    if impact != report.impact {
        changes.push(format!("impact {}", change(&report.impact, &impact)));
    }
    if channel != report.channel || impact != report.impact {
        let mut row: report::ActiveModel = report.clone().into();
        row.channel = Set(channel);
        row.impact = Set(impact);
        row.update(tx).await?;
    }
    if let Some(factors) = checked.factors
        && store_factors(tx, &report.id, &factors).await?
    {
        let slugs: Vec<&str> = factors.iter().map(|(_, s)| s.as_str()).collect();
        let named = if slugs.is_empty() {
            "none".to_owned()
        } else {
            slugs.join(", ")
        };
        changes.push(format!("factors → {named}"));
    }
    Ok((!changes.is_empty()).then(|| changes.join("; ")))
}

/// Links the report to exactly `factors`; whether that changed anything.
async fn store_factors(
    tx: &DatabaseTransaction,
    report_id: &str,
    factors: &[(i32, String)],
) -> Result<bool> {
    let of_report = report_factor::Column::ReportId.eq(report_id.to_owned());
    let mut before: Vec<i32> = report_factor::Entity::find()
        .filter(of_report.clone())
        .all(tx)
        .await?
        .into_iter()
        .map(|link| link.factor_id)
        .collect();
    before.sort_unstable();
    let after: Vec<i32> = factors.iter().map(|(id, _)| *id).collect();
    if after == before {
        return Ok(false);
    }
    report_factor::Entity::delete_many()
        .filter(of_report)
        .exec(tx)
        .await?;
    if !after.is_empty() {
        let links = after.iter().map(|&factor_id| report_factor::ActiveModel {
            report_id: Set(report_id.to_owned()),
            factor_id: Set(factor_id),
        });
        report_factor::Entity::insert_many(links)
            .exec_without_returning(tx)
            .await?;
    }
    Ok(true)
}

fn change(before: &Option<String>, after: &Option<String>) -> String {
    let name = |value: &Option<String>| value.as_deref().unwrap_or("none").to_owned();
    format!("{} → {}", name(before), name(after))
}
