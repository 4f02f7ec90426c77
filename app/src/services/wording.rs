//! Blameless-language hints on text being written: the same check and limit for every form.

use sea_orm::DatabaseConnection;

use crate::{
    error::{AppError, FieldError, Result},
    services::units,
    text_checks::{Hint, TextRules},
};

/// The longest text checked at once: more than any field of a report may hold.
pub const MAX_TEXT: usize = 60_000;

/// Hints on each named text, as `(field, hint)`. The organisation's unit names are not taken
/// for people's names; a text over [`MAX_TEXT`] is refused, naming its field.
pub async fn hints<'a>(
    db: &DatabaseConnection,
    rules: &TextRules,
    texts: &[(&'a str, &str)],
) -> Result<Vec<(&'a str, Hint)>> {
    let too_long: Vec<FieldError> = texts
        .iter()
        .filter(|(_, text)| text.chars().count() > MAX_TEXT)
        .map(|(field, _)| FieldError::new(*field, format!("is longer than {MAX_TEXT} characters")))
        .collect();
    if !too_long.is_empty() {
        return Err(AppError::Invalid(too_long));
    }
    let not_names = units::not_names(db).await?;
    Ok(texts
        .iter()
        .flat_map(|(field, text)| {
            let hints = rules.hints_with(text, &not_names);
            hints.into_iter().map(move |hint| (*field, hint))
        })
        .collect())
}
