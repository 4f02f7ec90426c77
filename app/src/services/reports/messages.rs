//! The anonymous conversation around a report: the reporter's details and answers, the
//! moderators' questions and decisions. Messages carry a day, never a time or a name.

use entities::{report, report_message};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use time::Date;

use crate::{
    error::{AppError, Result},
    today,
    vocabulary::vocabulary,
};

vocabulary! {
    /// Who wrote a message: never which moderator, never who the reporter is.
    Author {
        Reporter => ("reporter", "Reporter"),
        Moderator => ("moderator", "Moderator"),
    }
}

vocabulary! {
    /// What a message is for.
    MessageKind {
        Detail => ("detail", "Detail"),
        Answer => ("answer", "Answer"),
        ChangeRequest => ("change_request", "Change requested"),
        Question => ("question", "Question"),
        Rejection => ("rejection", "Reason for not publishing"),
        Merged => ("merged", "Merged"),
    }
}

#[derive(Clone, Debug)]
pub struct MessageView {
    pub author: Author,
    pub kind: MessageKind,
    pub body: String,
    pub created_on: Date,
}

/// Adds a message at the end of its report's conversation, by the id of a report row already
/// read: a conversation follows a report found, never a ref from a request. Call it inside
/// the transaction of the change it belongs to: the report's row is locked first (on
/// PostgreSQL; a SQLite write transaction holds the whole database), so that two messages
/// never take one place.
pub async fn add(
    db: &impl ConnectionTrait,
    report_id: &str,
    author: Author,
    kind: MessageKind,
    body: &str,
) -> Result<()> {
    report::Entity::find_by_id(report_id.to_owned())
        .select_only()
        .column(report::Column::Id)
        .lock_exclusive()
        .into_tuple::<String>()
        .one(db)
        .await?;
    let last: Option<Option<i32>> = report_message::Entity::find()
        .select_only()
        .column_as(report_message::Column::Seq.max(), "last")
        .filter(report_message::Column::ReportId.eq(report_id.to_owned()))
        .into_tuple()
        .one(db)
        .await?;
    report_message::Entity::insert(report_message::ActiveModel {
        report_id: Set(report_id.to_owned()),
        seq: Set(last.flatten().unwrap_or(0) + 1),
        author: Set(author.slug().to_owned()),
        kind: Set(kind.slug().to_owned()),
        body: Set(body.to_owned()),
        created_on: Set(today()),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

pub async fn list(db: &impl ConnectionTrait, report_id: &str) -> Result<Vec<MessageView>> {
    report_message::Entity::find()
        .filter(report_message::Column::ReportId.eq(report_id.to_owned()))
        .order_by_asc(report_message::Column::Seq)
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            let unknown = |what: &str, value: &str| {
                AppError::Internal(format!("a message of {report_id} has the {what} {value}"))
            };
            Ok(MessageView {
                author: Author::from_slug(&m.author).ok_or_else(|| unknown("author", &m.author))?,
                kind: MessageKind::from_slug(&m.kind).ok_or_else(|| unknown("kind", &m.kind))?,
                body: m.body,
                created_on: m.created_on,
            })
        })
        .collect()
}
