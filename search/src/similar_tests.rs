//! Similar reports found through the thesaurus and shared factors, never through common words.

use std::error::Error;

use crate::{Change, IndexedReport, SearchIndex, Thesaurus};

type TestResult = Result<(), Box<dyn Error>>;

fn lesson(report_ref: &str, title: &str, narrative: &str) -> IndexedReport {
    IndexedReport {
        report_ref: report_ref.into(),
        title: title.into(),
        narrative: narrative.into(),
        channel: Some("email".into()),
        month: 202601,
        ..Default::default()
    }
}

fn with_factors(mut report: IndexedReport, factors: &[&str]) -> IndexedReport {
    report.factors = factors.iter().map(|f| (*f).to_owned()).collect();
    report
}

fn open(reports: Vec<IndexedReport>) -> Result<(tempfile::TempDir, SearchIndex), Box<dyn Error>> {
    let dir = tempfile::tempdir()?;
    let (index, _) = SearchIndex::open(&dir.path().join("index"))?;
    let changes: Vec<Change> = reports
        .into_iter()
        .map(|r| Change::Upsert(Box::new(r)))
        .collect();
    index.apply(&changes, 1)?;
    let groups: Vec<Vec<String>> = [
        vec!["bcc", "blind copy", "blind carbon copy"],
        vec!["autocomplete", "autofill", "address suggestions"],
    ]
    .into_iter()
    .map(|g| g.into_iter().map(str::to_owned).collect())
    .collect();
    index.set_thesaurus(Thesaurus::new(&groups)?);
    Ok((dir, index))
}

fn similar(index: &SearchIndex, report_ref: &str) -> Result<Vec<String>, Box<dyn Error>> {
    Ok(index
        .similar_to(report_ref, 5)?
        .into_iter()
        .map(|h| h.report_ref)
        .collect())
}

/// Reports about other things, sharing the words of everyday email with every report.
fn filler(count: usize) -> Vec<IndexedReport> {
    let topics = [
        "budget", "parking", "canteen", "training", "heating", "printing",
    ];
    (0..count)
        .map(|n| {
            let topic = topics[n % topics.len()];
            lesson(
                &format!("filler{n:04}"),
                &format!("An email sent about the {topic} plan"),
                &format!("The email about the {topic} plan was sent to the team as usual."),
            )
        })
        .collect()
}

#[test]
fn the_same_mistake_told_in_other_words_is_similar() -> TestResult {
    let mut reports = filler(60);
    reports.push(lesson(
        "newsletter",
        "Newsletter went out with every address visible",
        "The stakeholder newsletter listed the recipients in the To field instead of Bcc.",
    ));
    reports.push(lesson(
        "invitation",
        "Invitation exposed the guest list",
        "The consultation invitation showed the invitees openly: nobody used blind carbon copy.",
    ));
    let (_dir, index) = open(reports)?;
    let found = similar(&index, "newsletter")?;
    assert_eq!(
        found.first().map(String::as_str),
        Some("invitation"),
        "{found:?}"
    );
    let back = similar(&index, "invitation")?;
    assert_eq!(
        back.first().map(String::as_str),
        Some("newsletter"),
        "{back:?}"
    );
    Ok(())
}

#[test]
fn a_shared_rare_factor_makes_reports_similar_and_a_shared_channel_alone_does_not() -> TestResult {
    let mut reports = filler(60);
    reports.push(with_factors(
        lesson(
            "journalist",
            "A journalist got the draft",
            "The draft meant for a colleague went to a journalist with a similar name.",
        ),
        &["autocomplete"],
    ));
    reports.push(with_factors(
        lesson(
            "taxpayers",
            "Assessment to the wrong taxpayer",
            "A tax assessment reached a taxpayer whose surname resembles the intended one.",
        ),
        &["autocomplete"],
    ));
    let (_dir, index) = open(reports)?;
    let found = similar(&index, "journalist")?;
    assert_eq!(
        found,
        ["taxpayers"],
        "only the shared factor links them; the filler shares only the channel and common words"
    );
    Ok(())
}

#[test]
fn a_report_sharing_only_common_words_is_never_similar() -> TestResult {
    let mut reports = filler(60);
    reports.push(lesson(
        "attachment",
        "An email sent with the wrong attachment",
        "The email was sent to the team with last year's spreadsheet attached.",
    ));
    let (_dir, index) = open(reports)?;
    let found = similar(&index, "attachment")?;
    assert!(found.is_empty(), "{found:?}");
    Ok(())
}
