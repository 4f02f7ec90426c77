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

/// The channel, impact and contributing factors a moderator sets, as slugs. A report logged
/// by a person always has a channel and an impact, so a correction keeps both; an imported
/// one may have neither, and may go on without them.
#[derive(Clone, Debug, Default)]
pub struct Classification {
    pub channel: Option<String>,
    pub impact: Option<String>,
    pub factors: Vec<String>,
}

/// A classification that passed the checks the report form makes.
pub(super) struct Checked {
    channel: Option<Channel>,
    impact: Option<Impact>,
    factor_ids: Vec<i32>,
}

/// Checks every part at once, with the report form's messages; `required` when the report
/// came from a person, who had to name both.
pub(super) async fn check(
    db: &impl ConnectionTrait,
    classification: &Classification,
    required: bool,
) -> Result<Checked, Vec<FieldError>> {
    let known = match taxonomy::factors_by_slug(db).await {
        Ok(known) => known,
        Err(error) => return Err(vec![FieldError::new("factors", error.to_string())]),
    };
    let channel = choice(
        &classification.channel,
        required,
        Channel::from_slug,
        Channel::expected,
    );
    let impact = choice(
        &classification.impact,
        required,
        Impact::from_slug,
        Impact::expected,
    );
    let factors = factor_ids(&classification.factors, &known);
    match (channel, impact, factors) {
        (Ok(channel), Ok(impact), Ok(factor_ids)) => Ok(Checked {
            channel,
            impact,
            factor_ids,
        }),
        (channel, impact, factors) => Err([
            ("channel", channel.err()),
            ("impact", impact.err()),
            ("factors", factors.err()),
        ]
        .into_iter()
        .filter_map(|(field, reason)| reason.map(|r| FieldError::new(field, r)))
        .collect()),
    }
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
    if channel != report.channel {
        changes.push(format!("channel {}", change(&report.channel, &channel)));
    }
    let impact = checked.impact.map(|i| i.slug().to_owned());
    if impact != report.impact {
        changes.push(format!("impact {}", change(&report.impact, &impact)));
    }
    if channel != report.channel || impact != report.impact {
        let mut row: report::ActiveModel = report.clone().into();
        row.channel = Set(channel);
        row.impact = Set(impact);
        row.update(tx).await?;
    }
    let before: Vec<i32> = report_factor::Entity::find()
        .filter(report_factor::Column::ReportId.eq(report.id.clone()))
        .all(tx)
        .await?
        .into_iter()
        .map(|link| link.factor_id)
        .collect();
    let mut after = checked.factor_ids;
    after.sort_unstable();
    let mut sorted_before = before.clone();
    sorted_before.sort_unstable();
    if after != sorted_before {
        report_factor::Entity::delete_many()
            .filter(report_factor::Column::ReportId.eq(report.id.clone()))
            .exec(tx)
            .await?;
        if !after.is_empty() {
            report_factor::Entity::insert_many(after.iter().map(|&factor_id| {
                report_factor::ActiveModel {
                    report_id: Set(report.id.clone()),
                    factor_id: Set(factor_id),
                }
            }))
            .exec_without_returning(tx)
            .await?;
        }
        changes.push(format!("factors {} → {}", after_count(&before), after.len()));
    }
    Ok((!changes.is_empty()).then(|| changes.join("; ")))
}

fn change(before: &Option<String>, after: &Option<String>) -> String {
    let name = |value: &Option<String>| value.clone().unwrap_or_else(|| "none".to_owned());
    format!("{} → {}", name(before), name(after))
}

fn after_count(factors: &[i32]) -> usize {
    factors.len()
}
