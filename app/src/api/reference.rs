//! `/v1/factors` and `/v1/units`: the values a new report may use.

use poem::web::Data;
use poem_openapi::{Object, OpenApi, payload::Json};

use super::ApiProblem;
use crate::{
    services::{taxonomy, units},
    state::AppState,
};

pub struct ReferenceApi;

#[derive(Debug, Object)]
pub struct FactorItem {
    pub slug: String,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Object)]
pub struct CategoryItem {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub factors: Vec<FactorItem>,
}

#[derive(Debug, Object)]
pub struct UnitItem {
    /// Names from the root down, joined by `/`.
    pub path: String,
    pub name: String,
    pub depth: u32,
}

#[OpenApi(prefix_path = "/v1")]
impl ReferenceApi {
    /// The contributing-factor taxonomy, by system category.
    #[oai(path = "/factors", method = "get", operation_id = "list_factors")]
    async fn list_factors(
        &self,
        state: Data<&AppState>,
    ) -> Result<Json<Vec<CategoryItem>>, ApiProblem> {
        let categories = taxonomy::categories(&state.db).await?;
        Ok(Json(
            categories
                .into_iter()
                .map(|c| CategoryItem {
                    slug: c.slug,
                    name: c.name,
                    description: c.description,
                    factors: c
                        .factors
                        .into_iter()
                        .map(|f| FactorItem {
                            slug: f.slug,
                            name: f.name,
                            description: f.description,
                        })
                        .collect(),
                })
                .collect(),
        ))
    }

    /// The organisational units, parents before children.
    #[oai(path = "/units", method = "get", operation_id = "list_units")]
    async fn list_units(&self, state: Data<&AppState>) -> Result<Json<Vec<UnitItem>>, ApiProblem> {
        let units = units::list(&state.db).await?;
        Ok(Json(
            units
                .into_iter()
                .map(|u| UnitItem {
                    depth: u32::try_from(u.depth).unwrap_or(u32::MAX),
                    path: u.path,
                    name: u.name,
                })
                .collect(),
        ))
    }
}
