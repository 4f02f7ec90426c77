//! Guideline sections beside lessons in one index: found apart, never mixed, never retired.

use crate::{
    Change, Filters, IndexedReport, IndexedSection, SearchIndex,
    tests::{index, refs, search},
};

fn section(guideline: &str, anchor: &str, heading: &str, text: &str) -> IndexedSection {
    IndexedSection {
        guideline: guideline.into(),
        guideline_title: match guideline {
            "email" => "Email".into(),
            _ => "Social media".into(),
        },
        anchor: anchor.into(),
        heading: heading.into(),
        text: text.into(),
        retired: false,
    }
}

fn sections() -> Vec<IndexedSection> {
    vec![
        section(
            "email",
            "bcc-for-external-lists",
            "Use Bcc for external lists",
            "When you write to people outside the organisation who do not know one another, \
             put their addresses in Bcc so that nobody's address is shared.",
        ),
        section(
            "email",
            "reply-all",
            "Think twice before reply-all",
            "A reply to a distribution list reaches everyone on it. Reply to the sender alone \
             unless every member needs the answer.",
        ),
        section(
            "social",
            "embargoes",
            "Embargoed figures",
            "Never schedule a post holding embargoed figures before the embargo lifts.",
        ),
    ]
}

fn with_sections(index: &SearchIndex, outbox_id: i64) -> crate::Result<()> {
    let changes: Vec<Change> = sections()
        .into_iter()
        .map(|s| Change::Section(Box::new(s)))
        .collect();
    index.apply(&changes, outbox_id)
}

fn anchors(index: &SearchIndex, text: &str) -> crate::Result<Vec<String>> {
    Ok(index
        .search_sections(text, 10)?
        .hits
        .into_iter()
        .map(|hit| format!("{}#{}", hit.guideline, hit.anchor))
        .collect())
}

#[test]
fn sections_are_found_apart_from_lessons() -> crate::Result<()> {
    let (_dir, index) = index()?;
    let lessons = index.num_docs();
    let before = refs(&search(&index, "reply-all list", Filters::default())?)
        .iter()
        .map(|r| r.to_string())
        .collect::<Vec<_>>();
    with_sections(&index, 7)?;
    assert_eq!(
        index.num_docs(),
        lessons,
        "sections are not counted as lessons"
    );
    assert_eq!(index.num_sections(), 3);
    let after = search(&index, "reply-all list", Filters::default())?;
    assert_eq!(
        refs(&after),
        before,
        "a lesson search never returns a section"
    );
    let everything = search(&index, "", Filters::default())?;
    assert_eq!(
        everything.total, lessons,
        "an empty search lists lessons only"
    );
    assert!(everything.hits.iter().all(|h| !h.report_ref.is_empty()));
    let only_excluded = search(&index, "-bcc", Filters::default())?;
    assert!(only_excluded.hits.iter().all(|h| !h.report_ref.is_empty()));
    assert_eq!(
        anchors(&index, "bcc external")?[0],
        "email#bcc-for-external-lists"
    );
    assert_eq!(anchors(&index, "embargo")?, ["social#embargoes"]);
    Ok(())
}

#[test]
fn a_section_matching_every_word_says_so() -> crate::Result<()> {
    let (_dir, index) = index()?;
    with_sections(&index, 7)?;
    let found = index.search_sections("how to use bcc for an external list", 10)?;
    let best = &found.hits[0];
    assert_eq!(best.anchor, "bcc-for-external-lists");
    assert!(best.all_words, "common words aside, every word is there");
    assert!(best.in_heading);
    assert!(
        best.heading_html.contains("<mark>Bcc</mark>"),
        "{}",
        best.heading_html
    );
    let partial = index.search_sections("bcc embargo", 10)?;
    assert_eq!(partial.total, 2);
    assert!(partial.hits.iter().all(|hit| !hit.all_words));
    let in_text_only = index.search_sections("sender", 10)?;
    assert!(in_text_only.hits[0].all_words && !in_text_only.hits[0].in_heading);
    assert_eq!(index.search_sections("", 10)?.total, 0);
    assert_eq!(index.search_sections("unheard-of", 10)?.total, 0);
    let only_common = index.search_sections("the of", 10)?;
    assert!(
        only_common.total > 0,
        "a query of common words only keeps them"
    );
    Ok(())
}

#[test]
fn retired_and_removed_sections_leave_the_index() -> crate::Result<()> {
    let (_dir, index) = index()?;
    with_sections(&index, 7)?;
    let mut retired = section(
        "email",
        "reply-all",
        "Think twice before reply-all",
        "Gone.",
    );
    retired.retired = true;
    index.apply(&[Change::Section(Box::new(retired))], 8)?;
    assert_eq!(anchors(&index, "reply-all")?, Vec::<String>::new());
    assert_eq!(index.num_sections(), 2);
    index.apply(
        &[Change::RemoveSection {
            guideline: "social".into(),
            anchor: "embargoes".into(),
        }],
        9,
    )?;
    assert_eq!(anchors(&index, "embargo")?, Vec::<String>::new());
    // A whole guideline replaced in one batch: removed, then its current sections added.
    index.apply(
        &[
            Change::RemoveGuideline("email".into()),
            Change::Section(Box::new(section(
                "email",
                "subject-lines",
                "Subject lines",
                "Say what you need in the subject line.",
            ))),
        ],
        10,
    )?;
    assert_eq!(anchors(&index, "bcc")?, Vec::<String>::new());
    assert_eq!(anchors(&index, "subject")?, ["email#subject-lines"]);
    assert_eq!(index.applied_outbox_id()?, 10);
    Ok(())
}

#[test]
fn an_edited_section_replaces_its_older_copy() -> crate::Result<()> {
    let (_dir, index) = index()?;
    with_sections(&index, 7)?;
    let edited = section(
        "email",
        "bcc-for-external-lists",
        "Use Bcc for external lists",
        "Use a mail merge for newsletters.",
    );
    index.apply(&[Change::Section(Box::new(edited))], 8)?;
    assert_eq!(index.num_sections(), 3);
    assert_eq!(
        anchors(&index, "newsletters")?,
        ["email#bcc-for-external-lists"]
    );
    assert_eq!(anchors(&index, "addresses shared")?, Vec::<String>::new());
    Ok(())
}

#[test]
fn section_scores_do_not_depend_on_how_many_lessons_there_are() -> crate::Result<()> {
    let (_dir, index) = index()?;
    with_sections(&index, 7)?;
    let before = index.search_sections("external list", 10)?;
    let lessons: Vec<Change> = (0..200)
        .map(|n| {
            Change::Upsert(Box::new(IndexedReport {
                report_ref: format!("extra{n:05}"),
                title: "Another lesson about lists and more lists".into(),
                narrative: "A long narrative about an external list, told at length.".into(),
                month: 202501,
                ..Default::default()
            }))
        })
        .collect();
    index.apply(&lessons, 8)?;
    let after = index.search_sections("external list", 10)?;
    assert_eq!(before.hits.len(), after.hits.len());
    for (b, a) in before.hits.iter().zip(&after.hits) {
        assert_eq!(b.anchor, a.anchor);
        assert!(
            (b.score - a.score).abs() < 1e-4,
            "{} became {}",
            b.score,
            a.score
        );
    }
    Ok(())
}

#[test]
fn the_thesaurus_says_the_same_thing_other_ways() -> crate::Result<()> {
    let (_dir, index) = index()?;
    with_sections(&index, 7)?;
    let groups = vec![vec!["bcc".to_owned(), "blind copy".to_owned()]];
    let Ok(thesaurus) = crate::Thesaurus::new(&groups) else {
        panic!("a valid thesaurus");
    };
    assert_eq!(index.search_sections("blind copy", 10)?.total, 0);
    index.set_thesaurus(thesaurus);
    let found = index.search_sections("blind copy for external partners", 10)?;
    let best = &found.hits[0];
    assert_eq!(best.anchor, "bcc-for-external-lists");
    assert!(best.in_heading, "\"blind copy\" is the heading's Bcc");
    assert!(!best.all_words, "no section speaks of partners");
    let found = index.search_sections("blind copy external", 10)?;
    assert!(found.hits[0].all_words && found.hits[0].in_heading);
    Ok(())
}

#[test]
fn lessons_score_as_if_there_were_no_sections() -> crate::Result<()> {
    let (_dir, index) = index()?;
    let scores = |index: &SearchIndex, text: &str| -> crate::Result<Vec<(String, f32)>> {
        Ok(search(index, text, Filters::default())?
            .hits
            .into_iter()
            .map(|h| (h.report_ref, h.score))
            .collect())
    };
    let queries = [
        "list",
        "reply-all list",
        "embargo OR autocomplete",
        "\"wrong recipient\"",
    ];
    let before: Vec<_> = queries
        .iter()
        .map(|q| scores(&index, q))
        .collect::<crate::Result<_>>()?;
    let similar_before = index.similar_to("reply00001", 5)?;
    with_sections(&index, 7)?;
    for (q, before) in queries.iter().zip(&before) {
        assert_eq!(&scores(&index, q)?, before, "{q}");
    }
    let similar_after = index.similar_to("reply00001", 5)?;
    let refs = |hits: &[crate::Hit]| -> Vec<String> {
        hits.iter().map(|h| h.report_ref.clone()).collect()
    };
    assert_eq!(refs(&similar_after), refs(&similar_before));
    // The same terms and statistics; a merge of segments may only change the order in which
    // the clauses' floats are summed, and so the last bit.
    for (after, before) in similar_after.iter().zip(&similar_before) {
        let tolerance = f32::EPSILON * 4.0 * before.score.abs().max(1.0);
        assert!(
            (after.score - before.score).abs() <= tolerance,
            "{}: {} against {}",
            after.report_ref,
            after.score,
            before.score
        );
    }
    Ok(())
}
