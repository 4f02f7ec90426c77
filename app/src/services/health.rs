//! Whether this instance can serve: the database answers and the index is usable.

use sea_orm::{ConnectionTrait, DatabaseConnection};
use search::SearchIndex;

use crate::indexing;

#[derive(Debug, serde::Serialize)]
pub struct Health {
    pub status: &'static str,
    pub database: &'static str,
    pub index: IndexHealth,
}

#[derive(Debug, serde::Serialize)]
pub struct IndexHealth {
    pub status: &'static str,
    /// Published reports the index holds.
    pub documents: u64,
    /// Changes in the database the index has not applied yet.
    pub lag: Option<i64>,
}

impl Health {
    pub fn is_ok(&self) -> bool {
        self.status == "ok"
    }
}

pub async fn check(db: &DatabaseConnection, index: &SearchIndex) -> Health {
    let database_ok = match db.execute_unprepared("SELECT 1").await {
        Ok(_) => true,
        Err(error) => {
            tracing::error!(%error, "health check: the database does not answer");
            false
        }
    };
    let lag = if database_ok {
        indexing::lag(db, index).await.ok()
    } else {
        None
    };
    let index_ok = index.applied_outbox_id().is_ok();
    let state = |ok: bool| if ok { "ok" } else { "unavailable" };
    Health {
        status: state(database_ok && index_ok),
        database: state(database_ok),
        index: IndexHealth {
            status: state(index_ok),
            documents: index.num_docs(),
            lag,
        },
    }
}
