//! `kintsugi guidelines`: import a guideline from a Markdown file and export one back.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Subcommand;
use sea_orm::DatabaseConnection;

use super::index::open_unless_served;
use crate::{
    config::Config,
    error::AppError,
    indexing,
    services::guidelines::{self, ChangeNote, IMPORT_AUTHOR},
};

#[derive(Debug, Subcommand)]
pub enum GuidelineCommand {
    /// Import a guideline from a Markdown file, creating it or making one revision.
    ///
    /// The file's `# Title` is the guideline's title and each `## Heading` starts a section;
    /// `###` and deeper headings belong to their section. An optional `Owner: …` line right
    /// after the title names who answers for the guideline, and the text before the first
    /// section is its summary. `{#anchor}` after a heading keeps an anchor when the words
    /// change (`## Use Bcc for external lists {#bcc-for-external-lists}`); without it the
    /// anchor is made from the words.
    ///
    /// Importing a file that matches the guideline changes nothing. A changed file makes one
    /// revision, authored by `import`, that holds every change: sections added, edited,
    /// moved, retired (those no longer in the file) and restored. Problems are reported by
    /// line and nothing is stored; the exit status is then 1. Raw HTML, script links and
    /// sections over 64 KiB are refused.
    Import {
        /// The Markdown file to read.
        file: PathBuf,
        /// The guideline's slug; otherwise the title's `{#slug}`, or else made from the title.
        #[arg(long)]
        slug: Option<String>,
        /// Why the guideline changes, kept with the revision. Default: "Imported from FILE".
        #[arg(long)]
        rationale: Option<String>,
        /// When the change takes effect, YYYY-MM-DD (default: today; past and future dates
        /// are fine).
        #[arg(long)]
        effective_from: Option<String>,
    },
    /// Write a guideline as Markdown, in the form `import` reads back unchanged.
    ///
    /// Only the sections in force are written; retired ones stay in the history.
    Export {
        /// The guideline's slug, as in /guidelines/SLUG.
        slug: String,
        /// The file to write (replaced if it exists); standard output when absent.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// Runs a `guidelines` subcommand; returns whether it succeeded.
pub async fn guidelines(
    config: &Config,
    db: &DatabaseConnection,
    command: GuidelineCommand,
) -> anyhow::Result<bool> {
    match command {
        GuidelineCommand::Import {
            file,
            slug,
            rationale,
            effective_from,
        } => {
            let note = ChangeNote {
                rationale: rationale.unwrap_or_else(|| format!("Imported from {}", name(&file))),
                effective_from,
                evidence: Vec::new(),
            };
            let imported = import_file(db, &file, slug.as_deref(), &note).await?;
            if imported && let Some(index) = open_unless_served(config, db).await? {
                indexing::catch_up(db, &index, &|_| {}).await?;
            }
            Ok(imported)
        }
        GuidelineCommand::Export { slug, out } => {
            let text = guidelines::export_markdown(db, &slug)
                .await
                .map_err(|e| match e {
                    AppError::NotFound(_) => anyhow::anyhow!("there is no guideline '{slug}'"),
                    other => anyhow::Error::from(other),
                })?;
            match out {
                Some(path) => {
                    std::fs::write(&path, text)
                        .with_context(|| format!("while writing {}", path.display()))?;
                    println!("Wrote '{slug}' to {}.", path.display());
                }
                None => print!("{text}"),
            }
            Ok(true)
        }
    }
}

/// Imports one file and prints what happened; `false` when the file was refused, with each
/// problem printed as `FILE:line N: reason`.
pub async fn import_file(
    db: &DatabaseConnection,
    file: &Path,
    slug: Option<&str>,
    note: &ChangeNote,
) -> anyhow::Result<bool> {
    let bytes = std::fs::read(file).with_context(|| format!("while reading {}", file.display()))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("{} is not UTF-8 text", file.display()))?;
    match guidelines::import_markdown(db, IMPORT_AUTHOR, &text, slug, note).await {
        Ok(outcome) if outcome.created => {
            println!("Created the guideline '{}' (revision 1).", outcome.slug);
            Ok(true)
        }
        Ok(outcome) if outcome.changed => {
            println!("Updated '{}': revision {}.", outcome.slug, outcome.revision);
            Ok(true)
        }
        Ok(outcome) => {
            println!(
                "'{}' already matches the file; nothing changed (revision {}).",
                outcome.slug, outcome.revision
            );
            Ok(true)
        }
        Err(AppError::Invalid(problems)) => {
            eprintln!("{} was not imported; nothing was changed:", file.display());
            for problem in problems {
                eprintln!("{}:{}: {}", file.display(), problem.field, problem.reason);
            }
            Ok(false)
        }
        Err(other) => Err(other.into()),
    }
}

fn name(file: &Path) -> String {
    file.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.display().to_string())
}
