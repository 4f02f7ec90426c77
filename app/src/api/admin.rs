//! `/v1/audit`: the audit log, for admins.

use poem::web::Data;
use poem_openapi::{Object, OpenApi, param::Query, payload::Json};

use super::{ApiProblem, auth::AdminToken};
use crate::{services::audit, state::AppState};

pub struct AdminApi;

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AuditEntryBody {
    /// UTC, to the second.
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: Option<String>,
    pub detail: String,
}

#[derive(Debug, Object)]
pub struct AuditBody {
    pub entries: Vec<AuditEntryBody>,
}

#[OpenApi(prefix_path = "/v1")]
impl AdminApi {
    /// The latest privileged actions, newest first (admins only).
    #[oai(path = "/audit", method = "get", operation_id = "audit_log")]
    async fn audit(
        &self,
        state: Data<&AppState>,
        _auth: AdminToken,
        /// 1 to 1000, default 100.
        #[oai(validator(minimum(value = "1"), maximum(value = "1000")))]
        limit: Query<Option<u64>>,
    ) -> Result<Json<AuditBody>, ApiProblem> {
        let limit = limit.0.unwrap_or(100);
        let entries = audit::latest(&state.db, limit)
            .await?
            .into_iter()
            .map(|e| AuditEntryBody {
                at: e.at,
                actor: e.actor,
                action: e.action,
                target: e.target,
                detail: e.detail,
            })
            .collect();
        Ok(Json(AuditBody { entries }))
    }
}
