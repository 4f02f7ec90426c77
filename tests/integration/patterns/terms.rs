//! Term sets stored for each published lesson: computed once, kept in step with publication,
//! edits and rejection through the outbox, and a collection kept between runs that reads only
//! what was published since yet finds what a new run finds.

use kintsugi::services::{
    accounts::Role,
    patterns::{self, DetectionSettings, Filters, Kept, RunSummary},
};
use kintsugi_tests::{TestApp, each_backend};
use sea_orm::ConnectionTrait;
use serde_json::json;

use super::{bcc_lines, collection};
use crate::support::{import, number, rows};

/// What the stored patterns say, as a reader would compare two runs.
async fn stored(app: &TestApp) -> anyhow::Result<Vec<String>> {
    Ok(patterns::all(&app.state.db, &Filters::default())
        .await?
        .into_iter()
        .map(|p| {
            format!(
                "{} | {} | {} | {:?} | {:?} | {} | {:?} | {}",
                p.signature,
                p.title,
                p.explanation,
                p.terms,
                p.reports,
                p.occurrences,
                p.units,
                p.score
            )
        })
        .collect())
}

async fn kept_run(app: &TestApp, kept: &mut Kept) -> anyhow::Result<RunSummary> {
    let settings = DetectionSettings::default();
    Ok(patterns::run_with(&app.state.db, settings, kept, &|_, _| {}).await?)
}

/// Runs detection from nothing and checks that it stores what the kept run stored.
async fn same_as_a_new_run(app: &TestApp) -> anyhow::Result<Vec<String>> {
    let kept = stored(app).await?;
    let fresh = patterns::run(&app.state.db, DetectionSettings::default(), &|_, _| {}).await?;
    assert_eq!(fresh.computed, 0, "a new run computes nothing: {fresh:?}");
    assert_eq!(stored(app).await?, kept);
    Ok(kept)
}

async fn bcc_refs(app: &TestApp) -> anyhow::Result<Vec<String>> {
    rows(
        app,
        "SELECT id FROM reports WHERE title LIKE 'Addresses visible%' ORDER BY id",
    )
    .await?
    .iter()
    .map(|row| Ok(row.try_get::<String>("", "id")?))
    .collect()
}

#[tokio::test]
async fn a_kept_collection_reads_only_new_lessons_and_finds_what_a_new_run_finds()
-> anyhow::Result<()> {
    each_backend(async |app| {
        collection(&app, &[0, 2, 4, 6]).await?;
        let mut kept = Kept::default();
        let first = kept_run(&app, &mut kept).await?;
        assert_eq!((first.reports, first.read, first.computed), (44, 44, 44));
        assert_eq!(
            number(&app, "SELECT COUNT(*) FROM publication_terms").await?,
            44
        );
        let found = same_as_a_new_run(&app).await?;
        assert_eq!(found.len(), 1, "{found:?}");

        // Nothing changed: nothing is read.
        let idle = kept_run(&app, &mut kept).await?;
        assert_eq!((idle.reports, idle.read, idle.computed), (44, 0, 0));
        assert_eq!(stored(&app).await?, found);

        // One more lesson: only it is analysed and read.
        import(&app, &bcc_lines(&[7], 4), true).await?;
        let added = kept_run(&app, &mut kept).await?;
        assert_eq!((added.reports, added.read, added.computed), (45, 1, 1));
        let grown = same_as_a_new_run(&app).await?;
        assert!(grown[0].contains("5 reports from 5 units"), "{grown:?}");

        // A published lesson edited: its set is computed again, the collection read again.
        let moderator = app.staff("mo.derator", Role::Moderator).await?;
        let refs = bcc_refs(&app).await?;
        let edit = json!({"title": "A printer jam", "narrative": "The printer jammed again."});
        app.client
            .post(format!("/api/v1/moderation/reports/{}/draft", refs[0]))
            .header("authorization", moderator.bearer())
            .body_json(&edit)
            .send()
            .await
            .assert_status_is_ok();
        let edited = kept_run(&app, &mut kept).await?;
        assert_eq!((edited.reports, edited.read, edited.computed), (45, 45, 1));
        let shrunk = same_as_a_new_run(&app).await?;
        assert!(shrunk[0].contains("4 reports from 4 units"), "{shrunk:?}");

        // A lesson rejected after publication leaves the sets and the collection.
        let reason = json!({"reason": "A duplicate of another lesson."});
        app.client
            .post(format!("/api/v1/moderation/reports/{}/reject", refs[1]))
            .header("authorization", moderator.bearer())
            .body_json(&reason)
            .send()
            .await
            .assert_status_is_ok();
        let rejected = kept_run(&app, &mut kept).await?;
        assert_eq!((rejected.reports, rejected.computed), (44, 0));
        assert_eq!(
            number(&app, "SELECT COUNT(*) FROM publication_terms").await?,
            44
        );
        same_as_a_new_run(&app).await?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn another_analyzer_or_a_damaged_set_is_read_from_the_text_again() -> anyhow::Result<()> {
    each_backend(async |app| {
        collection(&app, &[0, 2, 4, 6, 7]).await?;
        patterns::run(&app.state.db, DetectionSettings::default(), &|_, _| {}).await?;
        let found = stored(&app).await?;

        // Sets written by another analyzer are all computed again.
        for other in [
            "UPDATE settings SET value = '1' WHERE key = 'patterns.terms_analyzer'",
            "UPDATE publication_terms SET analyzer = 1",
        ] {
            app.state.db.execute_unprepared(other).await?;
        }
        let again = patterns::run(&app.state.db, DetectionSettings::default(), &|_, _| {}).await?;
        assert_eq!(again.computed, 45);
        assert_eq!(stored(&app).await?, found);

        // A damaged set is read from the published text, and gives the same patterns.
        let damage = match app.state.db.get_database_backend() {
            sea_orm::DbBackend::Postgres => {
                "UPDATE publication_terms SET terms = decode('01ff', 'hex')"
            }
            _ => "UPDATE publication_terms SET terms = X'01ff'",
        };
        app.state.db.execute_unprepared(damage).await?;
        let damaged =
            patterns::run(&app.state.db, DetectionSettings::default(), &|_, _| {}).await?;
        assert_eq!((damaged.reports, damaged.computed), (45, 0));
        assert_eq!(stored(&app).await?, found);
        Ok(())
    })
    .await
}
