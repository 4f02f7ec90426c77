//! The wording of drafted suggestions: handlebars templates producing Markdown, shipped as
//! data (`app/suggestions/`) and replaceable by admins, whose versions are kept in settings.
//!
//! A template is checked before it is stored: it must compile and render the sample data,
//! so that a broken one is refused with its line rather than failing the next drafting run.

use entities::setting;
use handlebars::{Handlebars, RenderErrorReason, TemplateErrorReason};
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait, sea_query::OnConflict,
};
use serde::Serialize;

use super::SuggestionKind;
use crate::{
    error::{AppError, Result},
    services::{
        accounts::Account,
        audit::{self, AuditAction},
    },
};

const REINFORCE: &str = include_str!("../../../suggestions/reinforce.md.hbs");
const ADD: &str = include_str!("../../../suggestions/add.md.hbs");

/// The most a template may hold.
pub const MAX_TEMPLATE: usize = 20_000;

fn key(kind: SuggestionKind) -> String {
    format!("suggestion_template.{}", kind.slug())
}

/// The shipped template of `kind`.
pub fn default_of(kind: SuggestionKind) -> &'static str {
    match kind {
        SuggestionKind::Reinforce => REINFORCE,
        SuggestionKind::Add => ADD,
    }
}

/// The template drafting uses for `kind`: an admin's when stored, else the shipped one.
pub async fn current(db: &impl ConnectionTrait, kind: SuggestionKind) -> Result<Template> {
    let stored = setting::Entity::find_by_id(key(kind)).one(db).await?;
    Ok(match stored {
        Some(row) => Template {
            kind,
            text: row.value,
            customised: true,
        },
        None => Template::shipped(kind),
    })
}

/// A template as drafting reads it.
#[derive(Clone, Debug)]
pub struct Template {
    pub kind: SuggestionKind,
    pub text: String,
    /// Whether an admin replaced the shipped one.
    pub customised: bool,
}

impl Template {
    /// The shipped template of `kind`.
    pub fn shipped(kind: SuggestionKind) -> Self {
        Self {
            kind,
            text: default_of(kind).to_owned(),
            customised: false,
        }
    }

    /// Renders `data` as Markdown: nothing is HTML-escaped here, since the Markdown is
    /// sanitised when it is shown, like every section's text.
    pub fn render(&self, data: &impl Serialize) -> Result<String> {
        render(&self.text, data)
    }
}

fn render(text: &str, data: &impl Serialize) -> Result<String> {
    let mut handlebars = Handlebars::new();
    handlebars.register_escape_fn(handlebars::no_escape);
    handlebars
        .render_template(text, data)
        .map_err(|e| AppError::invalid("template", describe(&e)))
}

fn describe(error: &handlebars::RenderError) -> String {
    // A template that does not parse has its place in the parse error, not the render error,
    // and a syntax error lists every token the parser expected: too much for a person.
    let (line, column, reason) = match error.reason() {
        RenderErrorReason::TemplateError(parse) => {
            let (line, column) = parse.pos().unzip();
            let reason = match parse.reason() {
                TemplateErrorReason::InvalidSyntax(_) => {
                    "this is not valid Handlebars (is a block left open, or a {{ not closed?)"
                        .to_owned()
                }
                other => other.to_string(),
            };
            (line, column, reason)
        }
        other => (error.line_no, error.column_no, other.to_string()),
    };
    let place = match (line, column) {
        (Some(line), Some(column)) => format!(" (line {line}, column {column})"),
        (Some(line), None) => format!(" (line {line})"),
        _ => String::new(),
    };
    format!("cannot be used{place}: {reason}")
}

/// Stores an admin's template for `kind`, after checking that it renders the sample data;
/// a blank text puts the shipped one back.
pub async fn save(
    db: &DatabaseConnection,
    actor: &Account,
    kind: SuggestionKind,
    text: &str,
) -> Result<()> {
    let text = text.replace("\r\n", "\n");
    let length = text.chars().count();
    if length > MAX_TEMPLATE {
        return Err(AppError::invalid(
            "template",
            format!("is {length} characters long; the limit is {MAX_TEMPLATE}"),
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    if text.trim().is_empty() {
        setting::Entity::delete_by_id(key(kind)).exec(&txn).await?;
    } else {
        render(&text, &super::draft::sample())?;
        setting::Entity::insert(setting::ActiveModel {
            key: Set(key(kind)),
            value: Set(text),
        })
        .on_conflict(
            OnConflict::column(setting::Column::Key)
                .update_column(setting::Column::Value)
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    }
    audit::record(
        &txn,
        actor,
        AuditAction::SuggestionTemplate,
        Some(kind.slug()),
        if length == 0 { "reset" } else { "saved" },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_templates_render_the_sample() {
        for kind in SuggestionKind::ALL {
            let text = render(default_of(*kind), &super::super::draft::sample());
            assert!(text.is_ok_and(|t| t.contains("> ")), "{kind:?}");
        }
    }

    #[test]
    fn a_broken_template_is_refused_with_its_place() {
        let error = render(
            "Fine\n{{#each quotes}}never closed",
            &super::super::draft::sample(),
        );
        let text = error.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(text.starts_with("template: cannot be used"), "{text}");
        assert!(text.contains("(line 2, column"), "{text}");
    }
}
