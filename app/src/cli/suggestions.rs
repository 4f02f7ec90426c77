//! `kintsugi suggestions`: the suggested guideline updates waiting for a policy owner.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::{
    config::Config,
    services::{
        search::SearchTurns,
        suggestions::{self, Filters, SuggestionStatus},
    },
};

pub async fn suggestions(
    config: &Config,
    db: &DatabaseConnection,
    json: bool,
) -> anyhow::Result<()> {
    // Drafting needs the index, to find each pattern's sections; while the server runs it
    // holds the index and drafts after each detection run itself.
    match super::index::open_quietly(config, db).await? {
        Some(index) => {
            let done = suggestions::refresh(db, &index, &Arc::new(SearchTurns::default())).await?;
            if !json {
                println!(
                    "Drafted {} new suggestions, updated {}, {} back for a decision.\n",
                    done.drafted, done.updated, done.reopened
                );
            }
        }
        None if !json => {
            println!(
                "The running server drafts suggestions after each detection run; these are its latest.\n"
            );
        }
        None => {}
    }
    let open = suggestions::list(
        db,
        &Filters {
            status: Some(SuggestionStatus::Open),
            guideline: None,
        },
    )
    .await?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "suggestions": open }))?
        );
        return Ok(());
    }
    println!("Open suggestions: {}", open.len());
    if open.is_empty() {
        return Ok(());
    }
    println!(
        "{:>4}  {:<9}  {:<44}  {:>6}  pattern",
        "id", "kind", "section", "score"
    );
    for s in &open {
        let place = match (&s.section, s.section_number) {
            (Some(_), Some(n)) => format!("{} §{n}", s.guideline_title),
            _ => format!("{} (new section)", s.guideline_title),
        };
        println!(
            "{:>4}  {:<9}  {:<44}  {:>6.1}  {}",
            s.id,
            s.kind.slug(),
            place.chars().take(44).collect::<String>(),
            s.score,
            s.pattern_title
        );
        println!("      {}", s.reason);
    }
    Ok(())
}
