//! The contributing-factor taxonomy as readers and forms see it.

use std::collections::HashMap;

use entities::{factor, factor_category, report_factor};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::error::Result;

#[derive(Clone, Debug)]
pub struct Factor {
    pub id: i32,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub category: String,
}

#[derive(Clone, Debug)]
pub struct Category {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub factors: Vec<Factor>,
}

/// The active factors, grouped by category in display order.
pub async fn categories(db: &impl ConnectionTrait) -> Result<Vec<Category>> {
    let categories = factor_category::Entity::find()
        .order_by_asc(factor_category::Column::Position)
        .all(db)
        .await?;
    let mut factors_by_category: HashMap<i32, Vec<Factor>> = HashMap::new();
    for f in factor::Entity::find()
        .filter(factor::Column::Active.eq(true))
        .order_by_asc(factor::Column::Id)
        .all(db)
        .await?
    {
        let category = categories
            .iter()
            .find(|c| c.id == f.category_id)
            .map(|c| c.name.clone())
            .unwrap_or_default();
        factors_by_category
            .entry(f.category_id)
            .or_default()
            .push(Factor {
                id: f.id,
                slug: f.slug,
                name: f.name,
                description: f.description,
                category,
            });
    }
    Ok(categories
        .into_iter()
        .map(|c| Category {
            factors: factors_by_category.remove(&c.id).unwrap_or_default(),
            slug: c.slug,
            name: c.name,
            description: c.description,
        })
        .collect())
}

/// Every active factor, looked up by slug.
pub async fn factors_by_slug(db: &impl ConnectionTrait) -> Result<HashMap<String, Factor>> {
    Ok(categories(db)
        .await?
        .into_iter()
        .flat_map(|c| c.factors)
        .map(|f| (f.slug.clone(), f))
        .collect())
}

/// The factors a report was linked to, with their names and categories. Takes the id of a
/// report row already read, not a ref from a request.
pub async fn factors_of(db: &impl ConnectionTrait, report_id: &str) -> Result<Vec<Factor>> {
    let ids: Vec<i32> = report_factor::Entity::find()
        .filter(report_factor::Column::ReportId.eq(report_id))
        .all(db)
        .await?
        .into_iter()
        .map(|rf| rf.factor_id)
        .collect();
    Ok(categories(db)
        .await?
        .into_iter()
        .flat_map(|c| c.factors)
        .filter(|f| ids.contains(&f.id))
        .collect())
}
