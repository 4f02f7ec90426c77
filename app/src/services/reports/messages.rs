//! The anonymous conversation around a report: the reporter's details and answers, the
//! moderators' questions and decisions. Messages carry a day, never a time or a name.

use entities::report_message;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, QueryOrder,
};
use time::Date;

use crate::{error::Result, today};

#[derive(Clone, Debug)]
pub struct MessageView {
    /// `reporter` or `moderator`: never which moderator, never who the reporter is.
    pub author: String,
    /// `detail`, `answer`, `change_request`, `question`, `rejection` or `merged`.
    pub kind: String,
    pub body: String,
    pub created_on: Date,
}

pub async fn add(
    db: &impl ConnectionTrait,
    report_ref: &str,
    author: &str,
    kind: &str,
    body: &str,
) -> Result<()> {
    report_message::Entity::insert(report_message::ActiveModel {
        id: NotSet,
        report_id: Set(report_ref.to_owned()),
        author: Set(author.to_owned()),
        kind: Set(kind.to_owned()),
        body: Set(body.to_owned()),
        created_on: Set(today()),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

pub async fn list(db: &impl ConnectionTrait, report_ref: &str) -> Result<Vec<MessageView>> {
    Ok(report_message::Entity::find()
        .filter(report_message::Column::ReportId.eq(report_ref.to_owned()))
        .order_by_asc(report_message::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|m| MessageView {
            author: m.author,
            kind: m.kind,
            body: m.body,
            created_on: m.created_on,
        })
        .collect())
}
