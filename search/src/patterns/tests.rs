//! Known answers of detection: fixtures small enough to reason about, with a background of
//! unrelated reports so that significance means something.

use super::*;

const UNITS: [&str; 8] = [
    "Tax/Contact centre",
    "Tax/Communications",
    "Health/Press office",
    "Health/Policy",
    "Council/Mayor's office",
    "Council/Web team",
    "Environment/Field operations",
    "Environment/Press office",
];

/// Words of unrelated everyday mishaps, mixed at random so that no two meet more than chance.
const BACKGROUND: [&str; 40] = [
    "invoice",
    "parking",
    "canteen",
    "roster",
    "printer",
    "badge",
    "elevator",
    "laptop",
    "stapler",
    "umbrella",
    "voucher",
    "locker",
    "kettle",
    "projector",
    "whiteboard",
    "courier",
    "receptionist",
    "ledger",
    "catalogue",
    "brochure",
    "thermostat",
    "carpet",
    "ladder",
    "scanner",
    "shredder",
    "cabinet",
    "trolley",
    "headset",
    "keyboard",
    "monitor",
    "cable",
    "charger",
    "envelope",
    "parcel",
    "pallet",
    "forklift",
    "uniform",
    "helmet",
    "lanyard",
    "fridge",
];

const START: Month = Month(2025 * 12);
const AS_OF: Month = Month(2026 * 12 + 5);

fn settings() -> Settings {
    Settings {
        min_occurrences: 3,
        min_units: 3,
        window_days: 365,
        as_of: AS_OF,
    }
}

/// A deterministic stream of numbers, so that the background is the same on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % below as u64) as usize
    }
}

struct Fixture {
    collection: Collection,
    random: Lcg,
    count: usize,
}

impl Fixture {
    fn new() -> Self {
        Self {
            collection: Collection::new(),
            random: Lcg(7),
            count: 0,
        }
    }

    /// `n` reports of unrelated mishaps, all of which say "email", "sent" and "team".
    fn background(mut self, n: usize) -> Self {
        for _ in 0..n {
            let mut word = || BACKGROUND[self.random.next(BACKGROUND.len())];
            let text = format!(
                "The email about the {} was sent to the wrong team. Nobody checked the {} or \
                 the {} before it went out, and the {} was late.",
                word(),
                word(),
                word(),
                word()
            );
            let unit = UNITS[self.random.next(UNITS.len())];
            let month = Month(START.0 + self.random.next(17) as u32);
            self = self.report(&text, unit, month, &[], None);
        }
        self
    }

    fn report(
        mut self,
        text: &str,
        unit: &str,
        month: Month,
        factors: &[&str],
        channel: Option<&str>,
    ) -> Self {
        self.count += 1;
        let reference = format!("r{:03}", self.count);
        let factors: Vec<String> = factors.iter().map(|f| (*f).to_owned()).collect();
        let doc = self
            .collection
            .add_report(&reference, text, &factors, channel);
        self.collection
            .add_occurrence(doc, Some(unit), month, OccurrenceKind::Report);
        self
    }

    fn detect(&self) -> Vec<Pattern> {
        detect(&self.collection, &settings())
    }
}

fn refs(pattern: &Pattern) -> Vec<&str> {
    pattern
        .members
        .iter()
        .map(|m| m.reference.as_str())
        .collect()
}

const BCC: [&str; 5] = [
    "The quarterly newsletter went to the mailing list with every address visible, because \
     the bcc field was left empty.",
    "I pasted the mailing list into the wrong field instead of bcc, so all addresses were visible.",
    "Our mailing list of partners was put in the open field and not in bcc; every address was \
     visible to everyone.",
    "A mailing list went out without bcc and the addresses were visible to all recipients.",
    "The invitation used the mailing list with addresses visible; bcc would have hidden them.",
];

fn with_bcc_theme(mut fixture: Fixture, month: impl Fn(usize) -> Month) -> Fixture {
    for (i, text) in BCC.iter().enumerate() {
        fixture = fixture.report(text, UNITS[i], month(i), &[], None);
    }
    fixture
}

#[test]
fn a_cross_unit_recurrence_is_one_pattern_with_its_members() {
    let fixture = with_bcc_theme(Fixture::new().background(60), |i| {
        Month(START.0 + 3 * i as u32)
    });
    let found = fixture.detect();
    assert_eq!(found.len(), 1, "{found:#?}");
    let pattern = &found[0];
    assert_eq!(pattern.kind, PatternKind::Theme);
    assert_eq!(refs(pattern), ["r061", "r062", "r063", "r064", "r065"]);
    assert_eq!(pattern.units.len(), 5);
    assert!(
        pattern.stems.iter().any(|s| s == "bcc"),
        "{:?}",
        pattern.stems
    );
    assert!(
        pattern
            .explanation
            .starts_with("5 reports from 5 units since 2025-01 mention")
    );
    assert!(
        pattern
            .members
            .iter()
            .all(|m| m.matched.iter().any(|w| w == "bcc"))
    );
}

#[test]
fn phrasing_variants_of_one_theme_merge_into_one() {
    let variants = [
        "We hit reply-all on the distribution list and the whole directorate got the details.",
        "Someone replied all to the distribution list with a personal question.",
        "A reply all to the whole directorate carried a case summary.",
        "The distribution list got a reply-all meant for one colleague in the directorate.",
        "I replied all and the whole distribution list saw my note.",
        "Reply-all to the directorate list again, this time about a rota swap.",
    ];
    let mut fixture = Fixture::new().background(60);
    for (i, text) in variants.iter().enumerate() {
        fixture = fixture.report(text, UNITS[i], Month(START.0 + i as u32), &[], None);
    }
    let found = fixture.detect();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].members.len(), 6, "{found:#?}");
}

#[test]
fn below_the_thresholds_nothing_or_a_local_pattern() {
    let two = with_bcc_theme(Fixture::new().background(60), |_| START);
    let mut two_units = Fixture::new().background(60);
    for (i, text) in BCC.iter().take(2).enumerate() {
        two_units = two_units.report(text, UNITS[i], START, &[], None);
    }
    assert!(two_units.detect().is_empty(), "{:#?}", two_units.detect());
    assert_eq!(two.detect().len(), 1);

    let mut one_unit = Fixture::new().background(60);
    for text in BCC.iter().take(4) {
        one_unit = one_unit.report(text, UNITS[0], START, &[], None);
    }
    let found = one_unit.detect();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].kind, PatternKind::Local);
    assert_eq!(found[0].unit.as_deref(), Some(UNITS[0]));
    assert!(found[0].signature.starts_with("local:"));
}

#[test]
fn filler_and_ubiquitous_words_never_make_a_pattern() {
    let fixture = Fixture::new().background(200);
    assert!(fixture.detect().is_empty(), "{:#?}", fixture.detect());
    let found = with_bcc_theme(Fixture::new().background(60), |_| START).detect();
    for pattern in &found {
        for stem in &pattern.stems {
            assert!(
                !["email", "sent", "team", "the", "wrong"].contains(&stem.as_str()),
                "{stem} in {pattern:#?}"
            );
        }
    }
}

#[test]
fn a_collection_imported_at_once_still_yields_its_themes() {
    let mut fixture = Fixture::new();
    for i in 0..60 {
        let a = BACKGROUND[(i * 7) % BACKGROUND.len()];
        let b = BACKGROUND[(i * 13 + 5) % BACKGROUND.len()];
        let text = format!("The email about the {a} was sent to the team; the {b} was late.");
        fixture = fixture.report(&text, UNITS[i % UNITS.len()], AS_OF, &[], None);
    }
    let fixture = with_bcc_theme(fixture, |_| AS_OF);
    let found = fixture.detect();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].first_seen, AS_OF);
    assert_eq!(found[0].by_month, vec![(AS_OF, 5)]);
}

#[test]
fn a_factor_across_units_within_the_window_is_a_pattern() {
    let within = |fixture: Fixture, gap: u32| {
        (0..4).fold(fixture, |f, i| {
            f.report(
                &format!("A {} went out before the embargo.", BACKGROUND[i]),
                UNITS[i],
                Month(START.0 + gap * i as u32),
                &["embargo_process"],
                Some("media_press"),
            )
        })
    };
    let close = within(Fixture::new().background(40), 2);
    let found = close.detect();
    let factor: Vec<&Pattern> = found
        .iter()
        .filter(|p| p.factors.contains(&"embargo_process".to_owned()))
        .collect();
    assert_eq!(factor.len(), 1, "{found:#?}");
    assert_eq!(factor[0].occurrences, 4);
    assert!(factor[0].signature.starts_with("factor:embargo_process"));

    let spread = within(Fixture::new().background(40), 8);
    let found = spread.detect();
    assert!(
        !found
            .iter()
            .any(|p| p.factors.contains(&"embargo_process".to_owned())),
        "{found:#?}"
    );
}

#[test]
fn merged_reports_and_signals_count_as_occurrences_in_their_units() {
    let mut fixture = Fixture::new().background(40);
    fixture = fixture.report(BCC[0], UNITS[0], START, &[], None);
    let doc = (fixture.collection.len() - 1) as DocId;
    fixture
        .collection
        .add_occurrence(doc, Some(UNITS[1]), START, OccurrenceKind::Merged);
    fixture
        .collection
        .add_occurrence(doc, Some(UNITS[2]), START, OccurrenceKind::Signal);
    fixture = fixture.report(BCC[1], UNITS[0], START, &[], None);
    fixture = fixture.report(BCC[2], UNITS[0], START, &[], None);
    let found = fixture.detect();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].kind, PatternKind::Theme);
    assert_eq!(found[0].occurrences, 5);
    assert_eq!(found[0].units.len(), 3);
}

fn previous_of(pattern: &Pattern, id: i64) -> Previous {
    Previous {
        id,
        signature: pattern.signature.clone(),
        members: refs(pattern).into_iter().map(str::to_owned).collect(),
        stems: pattern.stems.clone(),
    }
}

#[test]
fn a_pattern_keeps_its_identity_when_it_grows_and_its_words_shift() {
    let before = with_bcc_theme(Fixture::new().background(60), |_| START).detect();
    let mut grown = with_bcc_theme(Fixture::new().background(60), |_| START);
    grown = grown.report(
        "Once more the mailing list went without bcc; addresses visible to every school.",
        UNITS[6],
        START,
        &[],
        None,
    );
    let after = grown.detect();
    assert_eq!(after.len(), 1);
    let mut moved = previous_of(&before[0], 42);
    moved.signature = "theme:something+else".to_owned();
    assert_eq!(match_previous(&after, &[moved]), vec![Some(42)]);
    assert_eq!(
        match_previous(&after, &[previous_of(&before[0], 7)]),
        vec![Some(7)]
    );
    let unrelated = Previous {
        id: 9,
        signature: "theme:other".into(),
        members: vec!["x1".into(), "x2".into()],
        stems: vec!["printer".into()],
    };
    assert_eq!(match_previous(&after, &[unrelated]), vec![None]);
}

#[test]
fn a_dismissed_pattern_stays_away_until_it_grows_clearly() {
    let last = Month(AS_OF.0);
    assert_eq!(
        next_status(Status::Dismissed, Some(6), None, 7, last),
        Status::Dismissed
    );
    assert_eq!(
        next_status(Status::Dismissed, Some(6), None, 8, last),
        Status::Dismissed
    );
    assert_eq!(
        next_status(Status::Dismissed, Some(6), None, 9, last),
        Status::New
    );
    assert_eq!(
        next_status(Status::Dismissed, Some(20), None, 29, last),
        Status::Dismissed
    );
    assert_eq!(
        next_status(Status::Dismissed, Some(20), None, 30, last),
        Status::New
    );
    assert_eq!(
        next_status(Status::Acknowledged, None, None, 99, last),
        Status::Acknowledged
    );
}

#[test]
fn an_addressed_pattern_that_occurs_again_has_regressed() {
    let addressed = Month(AS_OF.0 - 2);
    let status = |last| next_status(Status::Addressed, None, Some(addressed), 5, last);
    assert_eq!(status(addressed), Status::Addressed);
    assert_eq!(status(AS_OF), Status::Regressed);
}

#[test]
fn detection_is_deterministic() {
    let fixture = with_bcc_theme(Fixture::new().background(80), |i| Month(START.0 + i as u32));
    assert_eq!(fixture.detect(), fixture.detect());
}

#[test]
fn months_read_and_print_alike() {
    assert_eq!(
        Month::parse("2025-03").map(|m| m.to_string()).as_deref(),
        Some("2025-03")
    );
    assert_eq!(Month::parse("2025-03-17"), Month::new(2025, 3));
    assert_eq!(Month::parse("2025-13"), None);
    assert_eq!(Month::parse("March"), None);
}

/// Prints what detection finds in a JSON Lines file (`PATTERNS_FILE`, else the demo data), to
/// judge it by eye; a report without a unit counts as a unit of its own.
#[test]
#[ignore = "prints what detection finds in a collection, to judge it by eye"]
fn dump() {
    let path = std::env::var("PATTERNS_FILE").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../app/demo/demo-reports.jsonl"
        )
        .to_owned()
    });
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut collection = Collection::new();
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
        let s = |k: &str| v[k].as_str().unwrap_or("").to_owned();
        let factors: Vec<String> = v["factors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let body = format!(
            "{}\n{}{}\n{}",
            s("title"),
            s("narrative"),
            s("body"),
            s("lesson")
        );
        let channel = s("channel");
        let doc = collection.add_report(&s("title"), &body, &factors, Some(channel.as_str()));
        let unit = Some(s("unit"))
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| format!("own unit of {}", s("title")));
        let month = Month::parse(&s("occurred_on")).unwrap_or(AS_OF);
        collection.add_occurrence(doc, Some(unit.as_str()), month, OccurrenceKind::Report);
    }
    for p in detect(&collection, &settings()) {
        println!(
            "[{}] {}\n  {}\n  {:?}\n",
            p.kind.slug(),
            p.title,
            p.explanation,
            p.terms
        );
    }
}
