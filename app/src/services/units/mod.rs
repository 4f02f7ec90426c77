//! The organisational-unit tree, with the units' headcounts where admins gave them.

mod headcount;
pub mod sizes;

use entities::unit;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::error::{AppError, Result};
use crate::text_checks::NotNames;

pub use headcount::{MAX_HEADCOUNT, check_headcount, parse_headcount, set_headcount};
pub use sizes::Size;

/// Separator between the names of a unit path, as in `Tax Agency/Digital services/Web team`.
pub const SEPARATOR: char = '/';

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit {
    pub id: i32,
    pub parent_id: Option<i32>,
    pub name: String,
    pub path: String,
    pub depth: usize,
    /// Everyone in the unit, the units under it included, as an admin gave it.
    pub headcount: Option<u32>,
}

impl From<unit::Model> for Unit {
    fn from(u: unit::Model) -> Self {
        Self {
            depth: u.path.matches(SEPARATOR).count(),
            headcount: u.headcount.and_then(|n| u32::try_from(n).ok()),
            id: u.id,
            parent_id: u.parent_id,
            name: u.name,
            path: u.path,
        }
    }
}

/// Tidies a path as typed: trims each name and drops empty ones.
pub fn normalise_path(path: &str) -> String {
    path.split(SEPARATOR)
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .collect::<Vec<_>>()
        .join("/")
}

/// Every unit, parents before children, in path order (which is the order of a tree view).
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<Unit>> {
    Ok(unit::Entity::find()
        .order_by_asc(unit::Column::Path)
        .all(db)
        .await?
        .into_iter()
        .map(Unit::from)
        .collect())
}

/// Every unit as [`list`] gives them, each with the size reports divide by, where known.
pub async fn with_sizes(db: &impl ConnectionTrait) -> Result<Vec<(Unit, Option<Size>)>> {
    let units = list(db).await?;
    let members: Vec<sizes::Member> = units
        .iter()
        .map(|u| (u.id, u.parent_id, u.headcount))
        .collect();
    let known = sizes::sizes(&members);
    Ok(units
        .into_iter()
        .map(|u| {
            let size = known.get(&u.id).copied();
            (u, size)
        })
        .collect())
}

/// The units' names, which the text checks must not take for people's names ("Grace Street
/// office", "Victoria team").
pub async fn not_names(db: &impl ConnectionTrait) -> Result<NotNames> {
    let names: Vec<String> = unit::Entity::find()
        .select_only()
        .column(unit::Column::Name)
        .into_tuple()
        .all(db)
        .await?;
    Ok(NotNames::new(names))
}

/// The full path of the unit with this id.
pub async fn path_of(db: &impl ConnectionTrait, id: i32) -> Result<Option<String>> {
    Ok(unit::Entity::find_by_id(id).one(db).await?.map(|u| u.path))
}

pub async fn find_by_path(db: &impl ConnectionTrait, path: &str) -> Result<Option<unit::Model>> {
    Ok(unit::Entity::find()
        .filter(unit::Column::Path.eq(normalise_path(path)))
        .one(db)
        .await?)
}

/// The id of the existing unit at `path`, for a form or request that names one: a path that
/// is not a unit is the person's mistake, reported on the field `unit`.
pub async fn existing(db: &impl ConnectionTrait, path: &str) -> Result<i32> {
    match find_by_path(db, path).await? {
        Some(unit) => Ok(unit.id),
        None => Err(AppError::invalid(
            "unit",
            format!(
                "'{path}' is not a unit of this organisation; choose one from the list or leave it out"
            ),
        )),
    }
}

/// Finds the unit at `path`, creating it and any missing ancestors.
pub async fn find_or_create(db: &impl ConnectionTrait, path: &str) -> Result<i32> {
    let mut parent: Option<i32> = None;
    let mut prefix = String::new();
    for name in normalise_path(path).split(SEPARATOR) {
        if !prefix.is_empty() {
            prefix.push(SEPARATOR);
        }
        prefix.push_str(name);
        let id = match find_by_path(db, &prefix).await? {
            Some(existing) => existing.id,
            None => {
                unit::Entity::insert(unit::ActiveModel {
                    id: NotSet,
                    parent_id: Set(parent),
                    name: Set(name.to_owned()),
                    path: Set(prefix.clone()),
                    headcount: NotSet,
                })
                .exec(db)
                .await?
                .last_insert_id
            }
        };
        parent = Some(id);
    }
    Ok(parent.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::normalise_path;

    #[test]
    fn paths_are_tidied() {
        assert_eq!(
            normalise_path(" Tax Agency / Web team/ "),
            "Tax Agency/Web team"
        );
        assert_eq!(normalise_path("//"), "");
    }
}
