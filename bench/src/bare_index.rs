//! The indexing baseline: the same corpus into a bare tantivy index, as a program that only
//! indexes would do it — English stemming, positions and stored text for the same text
//! fields, the same writer memory, one commit at the end — with no database, no outbox, no
//! facets and no compound words. It tells how far the machine itself lets an import go.

use std::{
    io::BufRead,
    path::Path,
    time::{Duration, Instant},
};

use serde::Deserialize;
use tantivy::{
    Index, TantivyDocument,
    schema::{IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions},
};

/// The writer memory of the app's index, so that both flush and merge alike.
const WRITER_MEMORY: usize = 64 * 1024 * 1024;

#[derive(Deserialize)]
struct Line {
    title: String,
    narrative: String,
    #[serde(default)]
    lesson: String,
}

/// Indexes `corpus` into a new index in `dir`; returns how many reports and how long it took,
/// the final commit included.
pub fn build(dir: &Path, corpus: &Path) -> anyhow::Result<(u64, Duration)> {
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("en_stem")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let mut builder = Schema::builder();
    let reference = builder.add_text_field("ref", STRING | STORED);
    let title = builder.add_text_field("title", text.clone());
    let narrative = builder.add_text_field("narrative", text.clone());
    let lesson = builder.add_text_field("lesson", text);
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    let index = Index::create_in_dir(dir, builder.build())?;

    let started = Instant::now();
    let mut writer = index.writer::<TantivyDocument>(WRITER_MEMORY)?;
    let mut count = 0u64;
    for line in std::io::BufReader::new(std::fs::File::open(corpus)?).lines() {
        let line: Line = serde_json::from_str(&line?)?;
        let mut doc = TantivyDocument::default();
        doc.add_text(reference, format!("{count:010}"));
        doc.add_text(title, &line.title);
        doc.add_text(narrative, &line.narrative);
        doc.add_text(lesson, &line.lesson);
        writer.add_document(doc)?;
        count += 1;
    }
    writer.commit()?;
    let elapsed = started.elapsed();
    writer.wait_merging_threads()?;
    Ok((count, elapsed))
}
