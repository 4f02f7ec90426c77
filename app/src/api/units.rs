//! `/v1/units/headcount`: an admin gives a unit's headcount, which trend reports divide its
//! published lessons by.

use poem::web::Data;
use poem_openapi::{Object, OpenApi, payload::Json};
use serde::Deserialize;

use super::{ApiJson, ApiProblem, auth::AdminToken};
use crate::{services::units, state::AppState};

pub struct UnitsApi;

#[derive(Debug, Object, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitHeadcountRequest {
    /// The unit's path: names from the root down, joined by `/`.
    pub unit: String,
    /// Everyone in the unit, the units under it included: a whole number from 1 to
    /// 9,999,999; null or left out when it is not known.
    #[oai(nullable, validator(minimum(value = "1"), maximum(value = "9999999")))]
    #[serde(default)]
    pub headcount: Option<i64>,
}

#[derive(Debug, Object)]
pub struct UnitHeadcountBody {
    pub path: String,
    /// Null when not known.
    #[oai(nullable)]
    pub headcount: Option<u32>,
}

#[OpenApi(prefix_path = "/v1")]
impl UnitsApi {
    /// Sets or clears a unit's headcount (admins only).
    #[oai(
        path = "/units/headcount",
        method = "put",
        operation_id = "set_unit_headcount"
    )]
    async fn set_headcount(
        &self,
        state: Data<&AppState>,
        auth: AdminToken,
        body: ApiJson<UnitHeadcountRequest>,
    ) -> Result<Json<UnitHeadcountBody>, ApiProblem> {
        let request = body.0;
        let headcount = request.headcount.map(units::check_headcount).transpose()?;
        let unit = units::set_headcount(&state.db, &auth.0, &request.unit, headcount).await?;
        Ok(Json(UnitHeadcountBody {
            path: unit.path,
            headcount: unit.headcount,
        }))
    }
}
