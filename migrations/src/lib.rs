//! Schema migrations of Kintsugi, portable across SQLite and PostgreSQL.
//!
//! Each migration is named by date and purpose, holds one change, and is never edited once
//! shipped. This crate deliberately does not depend on `entities`, so an old migration keeps
//! compiling whatever happens to the entities later.

pub use sea_orm_migration::prelude::*;

mod m20261126_000001_create_taxonomy;
mod m20261126_000002_create_units;
mod m20261126_000003_create_reports;
mod m20261126_000004_create_report_messages;
mod m20261126_000005_create_outbox;
mod m20261126_000006_create_settings;
mod m20261126_000007_seed_taxonomy;
mod m20261127_000008_create_accounts;
mod m20261127_000009_create_audit_events;
mod m20261127_000010_create_publications;
mod m20261127_000011_create_reader_signals;
mod m20261128_000012_unordered_submissions;
mod m20261128_000013_create_guidelines;
mod m20261128_000014_outbox_subjects;
mod m20261128_000015_create_patterns;
mod m20261128_000016_create_suggestions;
mod m20261128_000017_trend_indexes;
mod m20261128_000018_create_feeds_and_digests;
mod m20261128_000019_report_month_index;
mod m20261128_000020_trend_counts;
mod m20261128_000021_unit_sizes;
mod m20261128_000022_publication_terms;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_create_taxonomy::Migration),
            Box::new(m20261126_000002_create_units::Migration),
            Box::new(m20261126_000003_create_reports::Migration),
            Box::new(m20261126_000004_create_report_messages::Migration),
            Box::new(m20261126_000005_create_outbox::Migration),
            Box::new(m20261126_000006_create_settings::Migration),
            Box::new(m20261126_000007_seed_taxonomy::Migration),
            Box::new(m20261127_000008_create_accounts::Migration),
            Box::new(m20261127_000009_create_audit_events::Migration),
            Box::new(m20261127_000010_create_publications::Migration),
            Box::new(m20261127_000011_create_reader_signals::Migration),
            Box::new(m20261128_000012_unordered_submissions::Migration),
            Box::new(m20261128_000013_create_guidelines::Migration),
            Box::new(m20261128_000014_outbox_subjects::Migration),
            Box::new(m20261128_000015_create_patterns::Migration),
            Box::new(m20261128_000016_create_suggestions::Migration),
            Box::new(m20261128_000017_trend_indexes::Migration),
            Box::new(m20261128_000018_create_feeds_and_digests::Migration),
            Box::new(m20261128_000019_report_month_index::Migration),
            Box::new(m20261128_000020_trend_counts::Migration),
            Box::new(m20261128_000021_unit_sizes::Migration),
            Box::new(m20261128_000022_publication_terms::Migration),
        ]
    }
}
