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
    /// Ids and slugs, by id.
    factors: Vec<(i32, String)>,
}

/// Checks every part at once, with the report form's messages: the outer `Result` is the
/// database's, the inner one the moderator's. `required` when the report came from a
/// person, who had to name a channel and an impact.
pub(super) async fn check(
    db: &impl ConnectionTrait,
    classification: &Classification,
    required: bool,
) -> Result<Result<Checked, Vec<FieldError>>> {
    let known = taxonomy::factors_by_slug(db).await?;
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
    Ok(match (channel, impact, factors) {
        (Ok(channel), Ok(impact), Ok(ids)) => {
            let mut factors: Vec<(i32, String)> = known
                .into_values()
                .filter(|f| ids.contains(&f.id))
                .map(|f| (f.id, f.slug))
                .collect();
            factors.sort_unstable();
            Ok(Checked {
                channel,
                impact,
                factors,
            })
        }
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
    let of_report = report_factor::Column::ReportId.eq(report.id.clone());
    let mut before: Vec<i32> = report_factor::Entity::find()
        .filter(of_report.clone())
        .all(tx)
        .await?
        .into_iter()
        .map(|link| link.factor_id)
        .collect();
    before.sort_unstable();
    let after: Vec<i32> = checked.factors.iter().map(|(id, _)| *id).collect();
    if after != before {
        report_factor::Entity::delete_many()
            .filter(of_report)
            .exec(tx)
            .await?;
        if !after.is_empty() {
            let links = after.iter().map(|&factor_id| report_factor::ActiveModel {
                report_id: Set(report.id.clone()),
                factor_id: Set(factor_id),
            });
            report_factor::Entity::insert_many(links)
                .exec_without_returning(tx)
                .await?;
        }
        let slugs: Vec<&str> = checked.factors.iter().map(|(_, s)| s.as_str()).collect();
        let named = if slugs.is_empty() {
            "none".to_owned()
        } else {
            slugs.join(", ")
        };
        changes.push(format!("factors → {named}"));
    }
    Ok((!changes.is_empty()).then(|| changes.join("; ")))
}

fn change(before: &Option<String>, after: &Option<String>) -> String {
    let name = |value: &Option<String>| value.as_deref().unwrap_or("none").to_owned();
    format!("{} → {}", name(before), name(after))
}
