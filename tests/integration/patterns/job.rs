//! The detection job: due when the data changes, and run once across instances that share
//! one database.

use kintsugi::{
    config::{Config, DatabaseUrl},
    server,
    services::patterns::{DetectionSettings, job},
};
use kintsugi_tests::each_database;

use super::{BCC, UNITS};

#[tokio::test]
async fn two_instances_on_one_database_run_the_job_once() -> anyhow::Result<()> {
    each_database(async |url| {
        let shared = tempfile::tempdir()?;
        // Two instances with their own data folders (and indexes) on one database.
        let url = url.unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                shared.path().join("shared.db").display()
            )
        });
        let (one, two) = (tempfile::tempdir()?, tempfile::tempdir()?);
        let start = async |dir: &std::path::Path| {
            let mut config = Config::with_data_dir(dir);
            config.database.url = Some(DatabaseUrl(url.clone()));
            server::prepare_state(config).await
        };
        let first = start(one.path()).await?;
        let second = start(two.path()).await?;
        let lines: String = BCC
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let line = serde_json::json!({
                    "title": format!("Report {i}"), "narrative": text, "unit": UNITS[i],
                });
                format!("{line}\n")
            })
            .collect();
        kintsugi::services::import::import_jsonl(
            &first.db,
            std::io::Cursor::new(lines),
            true,
            &|_| {},
        )
        .await?;

        let settings = DetectionSettings::default();
        for round in 0..3 {
            let (a, b) = tokio::join!(
                job::run_if_due(&first.db, settings, "first"),
                job::run_if_due(&second.db, settings, "second"),
            );
            let ran = [a?, b?].into_iter().flatten().count();
            assert_eq!(ran, usize::from(round == 0), "round {round}");
        }
        assert_eq!(job::runs(&first.db).await?, 1);

        // New data makes it due again, once.
        kintsugi::services::import::import_jsonl(
            &second.db,
            std::io::Cursor::new(format!(
                "{}\n",
                serde_json::json!({"title": "One more", "narrative": BCC[0], "unit": UNITS[7]})
            )),
            true,
            &|_| {},
        )
        .await?;
        let (a, b) = tokio::join!(
            job::run_if_due(&first.db, settings, "first"),
            job::run_if_due(&second.db, settings, "second"),
        );
        assert_eq!([a?, b?].into_iter().flatten().count(), 1);
        assert_eq!(job::runs(&second.db).await?, 2);
        Ok(())
    })
    .await
}
