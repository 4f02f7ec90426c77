//! One run of detection: bring the stored term sets up to date, gather the collection (or add
//! to the one kept from the last run), detect off the async executor, store the patterns.

use sea_orm::DatabaseConnection;
use search::patterns::{self, Words};

use super::{
    DetectionSettings,
    load::{self, Loaded},
    store::{store, this_month},
    terms,
};
use crate::error::Result;

/// What a run found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunSummary {
    pub reports: usize,
    pub patterns: usize,
    /// Patterns not seen in the previous run.
    pub new: usize,
    /// Lessons whose term sets this run read from the database: all of them, unless it added
    /// to a kept collection.
    pub read: usize,
    /// Term sets computed from published text by this run.
    pub computed: usize,
}

/// What a server keeps between runs: the analyzer, and the collection with the outbox row it
/// reflects. A run checks it against the database before adding to it (see `load::update`),
/// so that whatever another instance did meanwhile is seen.
#[derive(Default)]
pub struct Kept {
    words: Option<Words>,
    loaded: Option<Loaded>,
}

impl Kept {
    /// Lets the collection go, keeping the analyzer: the next run reads every stored set.
    pub fn forget_collection(&mut self) {
        self.loaded = None;
    }
}

/// Detects the patterns of the whole collection and stores them, keeping nothing; `progress`
/// hears of each report loaded.
pub async fn run(
    db: &DatabaseConnection,
    settings: DetectionSettings,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<RunSummary> {
    run_with(db, settings, &mut Kept::default(), progress).await
}

/// Detects and stores the patterns, starting from what `kept` holds and leaving there what
/// the next run can start from.
pub async fn run_with(
    db: &DatabaseConnection,
    settings: DetectionSettings,
    kept: &mut Kept,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<RunSummary> {
    let words = kept.words.take().unwrap_or_default();
    let (words, synced) = terms::sync(db, words).await?;
    kept.words = Some(words);
    let (loaded, read) = load::update(db, kept.loaded.take(), &synced, progress).await?;
    let reports = loaded.collection.len();
    let detect = patterns::Settings {
        min_occurrences: settings.min_occurrences,
        min_units: settings.min_units,
        window_days: settings.window_days,
        as_of: this_month(),
    };
    let (loaded, found) = crate::blocking(move || {
        let found = patterns::detect(&loaded.collection, &detect);
        Ok((loaded, found))
    })
    .await?;
    kept.loaded = Some(loaded);
    let new = store(db, &found).await?;
    Ok(RunSummary {
        reports,
        patterns: found.len(),
        new,
        read,
        computed: synced.computed,
    })
}
