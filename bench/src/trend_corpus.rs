//! The synthetic corpus of the trend benchmark: reports spread over five years, written
//! straight into the tables (the report needs no text and no index), deterministic so that
//! every run builds the same one.

use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};

/// A small deterministic generator, so that every run builds the same corpus.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const CHANNELS: [&str; 9] = [
    "email",
    "public_social",
    "internal_social",
    "website_intranet",
    "media_press",
    "meeting",
    "phone_sms",
    "document_letter",
    "other",
];
const AUDIENCES: [&str; 3] = ["internal", "cross_agency", "public"];
const IMPACTS: [&str; 4] = ["near_miss", "minor", "moderate", "serious"];
const REVIEWS: [&str; 4] = ["not_asked", "pending", "approved", "changes_requested"];
/// The corpus's first day (2021-12-01 as a Julian day) and its span, five years.
const FIRST_DAY: i32 = 2_459_550;
const DAYS: u64 = 5 * 365;

fn day(julian: i32) -> String {
    time::Date::from_julian_day(julian).map_or_else(|_| "2024-01-01".to_owned(), |d| d.to_string())
}

/// 8 agencies, 5 departments each, 5 teams each: 248 units. Reports: 80 % published within a
/// month, the rest waiting, rejected or withdrawn; one or two factors each.
pub async fn build(db: &DatabaseConnection, reports: u64) -> anyhow::Result<()> {
    let mut units = Vec::new();
    for a in 0..8 {
        let agency = format!("Agency {a}");
        units.push(agency.clone());
        for d in 0..5 {
            let department = format!("{agency}/Department {d}");
            units.push(department.clone());
            for t in 0..5 {
                units.push(format!("{department}/Team {t}"));
            }
        }
    }
    for path in &units {
        let (parent, name) = path
            .rsplit_once('/')
            .map_or((None, path.as_str()), |(p, n)| (Some(p), n));
        let parent = parent.map_or("NULL".to_owned(), |p| {
            format!("(SELECT id FROM units WHERE path = '{p}')")
        });
        db.execute_unprepared(&format!(
            "INSERT INTO units (parent_id, name, path) VALUES ({parent}, '{name}', '{path}')"
        ))
        .await?;
    }
    let unit_ids = ids(db, "SELECT id FROM units ORDER BY path").await?;
    let factor_ids = ids(db, "SELECT id FROM factors ORDER BY id").await?;
    let mut rng = Lcg(2026);
    let batch = 500;
    let mut done = 0;
    while done < reports {
        let tx = db.begin().await?;
        for _ in 0..100 {
            let n = batch.min(reports - done);
            if n == 0 {
                break;
            }
            let (mut r, mut p, mut f) = (Vec::new(), Vec::new(), Vec::new());
            for _ in 0..n {
                let id: String = (0..16)
                    .map(|_| char::from(b'a' + rng.below(26) as u8))
                    .collect();
                let submitted = FIRST_DAY + rng.below(DAYS) as i32;
                let status = match rng.below(20) {
                    0..=15 => "published",
                    16 | 17 => "submitted",
                    18 => "rejected",
                    _ => "withdrawn",
                };
                let decided =
                    (status != "submitted").then(|| day(submitted + rng.below(30) as i32));
                let unit = if rng.below(10) == 0 {
                    "NULL".to_owned()
                } else {
                    unit_ids[rng.below(unit_ids.len() as u64) as usize].to_string()
                };
                r.push(format!(
                    "('{id}', 'r', '', '{}', '{}', '{}', '', '', {unit}, NULL, '', NULL, '{status}', '{}', '{}', NULL, NULL, {}, false)",
                    CHANNELS[rng.below(9) as usize],
                    AUDIENCES[rng.below(3) as usize],
                    IMPACTS[rng.below(4) as usize],
                    day(submitted),
                    day(submitted),
                    decided.as_ref().map_or("NULL".to_owned(), |d| format!("'{d}'")),
                ));
                if status == "published" {
                    p.push(format!(
                        "('{id}', 'r', '', '', '', '', '{}', '[]', '{}')",
                        REVIEWS[rng.below(4) as usize],
                        day(submitted)
                    ));
                }
                let first = rng.below(factor_ids.len() as u64) as usize;
                f.push(format!("('{id}', {})", factor_ids[first]));
                if rng.below(3) == 0 {
                    let second = (first + 1 + rng.below(factor_ids.len() as u64 - 1) as usize)
                        % factor_ids.len();
                    f.push(format!("('{id}', {})", factor_ids[second]));
                }
            }
            tx.execute_unprepared(&format!(
                "INSERT INTO reports (id, title, narrative, channel, audience, impact, what_helped, lesson, unit_id, \
                 occurred_month, tags, source_url, status, submitted_on, updated_on, receipt_hash, merged_into, \
                 decided_on, raw_purged) VALUES {}",
                r.join(",")
            ))
            .await?;
            if !p.is_empty() {
                tx.execute_unprepared(&format!(
                    "INSERT INTO publications (report_id, title, narrative, what_helped, lesson, tags, reporter_review, \
                     dismissed, prepared_on) VALUES {}",
                    p.join(",")
                ))
                .await?;
            }
            tx.execute_unprepared(&format!(
                "INSERT INTO report_factors (report_id, factor_id) VALUES {}",
                f.join(",")
            ))
            .await?;
            done += n;
        }
        tx.commit().await?;
    }
    // Fresh statistics, as a database that grew over years would have.
    db.execute_unprepared("ANALYZE").await?;
    Ok(())
}

pub async fn ids(db: &DatabaseConnection, sql: &str) -> anyhow::Result<Vec<i32>> {
    db.query_all_raw(sea_orm::Statement::from_string(
        db.get_database_backend(),
        sql.to_owned(),
    ))
    .await?
    .iter()
    .map(|row| row.try_get_by_index::<i32>(0).map_err(Into::into))
    .collect()
}
