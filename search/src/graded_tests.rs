//! Graded matching, the thesaurus, spelling suggestions and labels indexed as text.

use tempfile::TempDir;

use crate::{
    Change, Filters, IndexedReport, Notice, SearchIndex, SearchRequest, SearchResults, Thesaurus,
    graded::Grade,
};

fn report(report_ref: &str, title: &str, narrative: &str) -> IndexedReport {
    IndexedReport {
        report_ref: report_ref.into(),
        title: title.into(),
        narrative: narrative.into(),
        month: 202501,
        ..Default::default()
    }
}

fn index(reports: Vec<IndexedReport>) -> crate::Result<(TempDir, SearchIndex)> {
    let dir = tempfile::tempdir()?;
    let (index, _) = SearchIndex::open(&dir.path().join("index"))?;
    let groups: Vec<Vec<String>> = [
        &["autocomplete", "autofill", "address suggestions"][..],
        &["distribution list", "mailing list", "all-staff list"],
        &["bcc", "blind copy"],
        &["embargo", "pre-release", "under embargo"],
    ]
    .iter()
    .map(|g| g.iter().map(|w| (*w).to_owned()).collect())
    .collect();
    index.set_thesaurus(
        Thesaurus::new(&groups)
            .map_err(|e| crate::Error::Io(std::io::Error::other(e.to_string())))?,
    );
    let changes: Vec<Change> = reports
        .into_iter()
        .map(|r| Change::Upsert(Box::new(r)))
        .collect();
    index.apply(&changes, 1)?;
    Ok((dir, index))
}

fn search(index: &SearchIndex, text: &str) -> crate::Result<SearchResults> {
    index.search(&SearchRequest {
        text: text.into(),
        filters: Filters::default(),
        limit: 10,
        ..SearchRequest::default()
    })
}

fn refs(results: &SearchResults) -> Vec<&str> {
    results.hits.iter().map(|h| h.report_ref.as_str()).collect()
}

#[test]
fn tags_units_channel_and_factors_are_found_as_text() -> crate::Result<()> {
    let mut tagged = report("tagged0001", "Shift swap request", "Sent to everyone.");
    tagged.tags = vec!["distribution-list".into()];
    tagged.unit = vec!["Tax Agency".into(), "Contact centre".into()];
    tagged.context = "Email. Internal".into();
    tagged.keywords = "Unsafe defaults. The tool's default invites the mistake.".into();
    let (_dir, index) = index(vec![tagged, report("other00002", "Other", "Nothing here.")])?;
    for text in [
        "distribution-list",
        "contact centre",
        "internal",
        "unsafe defaults",
    ] {
        assert_eq!(refs(&search(&index, text)?), vec!["tagged0001"], "{text}");
    }
    Ok(())
}

#[test]
fn the_thesaurus_finds_other_words_and_says_which() -> crate::Result<()> {
    let (_dir, index) = index(vec![
        report(
            "autoc00001",
            "Autocomplete picked the wrong contact",
            "It offered a namesake.",
        ),
        report("other00002", "A late reply", "Nothing to do with it."),
    ])?;
    let results = search(&index, "autofill")?;
    assert_eq!(refs(&results), vec!["autoc00001"]);
    assert_eq!(
        results.also_searched_for,
        vec!["autocomplete".to_owned(), "address suggestions".to_owned()]
    );
    assert!(
        results
            .notices
            .iter()
            .any(|n| matches!(n, Notice::AlsoSearched { .. }))
    );
    let phrase = search(&index, "blind copy")?;
    assert_eq!(phrase.also_searched_for, vec!["bcc".to_owned()]);
    Ok(())
}

#[test]
fn a_synonym_holding_the_words_typed_is_not_searched_again() -> crate::Result<()> {
    let (_dir, index) = index(vec![
        report(
            "embargo001",
            "Sent under embargo",
            "The release went early.",
        ),
        report(
            "prerel0002",
            "A pre-release copy",
            "It reached a journalist.",
        ),
        report("other00003", "A late reply", "Nothing to do with it."),
    ])?;
    let results = search(&index, "embargo")?;
    // "under embargo" finds nothing "embargo" does not: only the other words are added.
    assert_eq!(results.also_searched_for, vec!["pre-release".to_owned()]);
    assert_eq!(refs(&results), vec!["embargo001", "prerel0002"]);
    Ok(())
}

#[test]
fn the_words_typed_outrank_their_synonyms() -> crate::Result<()> {
    // The synonym is rarer, and in a title: BM25 alone would put it first.
    let (_dir, index) = index(vec![
        report("synonym001", "Autocomplete", "Autocomplete autocomplete."),
        report(
            "typed00002",
            "A list of names",
            "The autofill offered a name.",
        ),
        report(
            "filler0003",
            "Autofill settings",
            "Autofill was left on; autofill again.",
        ),
    ])?;
    let results = search(&index, "autofill")?;
    assert_eq!(
        refs(&results).last(),
        Some(&"synonym001"),
        "{:?}",
        refs(&results)
    );
    Ok(())
}

#[test]
fn more_words_matched_rank_higher_and_the_notice_says_only_some_matched() -> crate::Result<()> {
    let (_dir, graded) = index(vec![
        report(
            "all0000001",
            "Wrong list chosen",
            "Sent to the wrong distribution list.",
        ),
        report(
            "some000002",
            "Distribution list",
            "A distribution list, a distribution list.",
        ),
        report(
            "some000003",
            "Wrong housing estate named",
            "The wrong name, wrong again.",
        ),
        report("none000004", "Nothing alike", "Entirely unrelated."),
    ])?;
    let results = search(&graded, "wrong distribution list")?;
    let found = refs(&results);
    assert_eq!(found.first(), Some(&"all0000001"));
    assert!(
        found.contains(&"some000002"),
        "two of three words match: {found:?}"
    );
    assert!(!found.contains(&"none000004"));
    assert!(
        results.notices.contains(&Notice::SomeWords),
        "{:?}",
        results.notices
    );
    // Words near one another count: the same words further apart rank lower.
    let (_other, near) = index(vec![
        report(
            "near000001",
            "Note",
            "The embargo was broken by the newspaper.",
        ),
        report(
            "apart00002",
            "Note",
            "The embargo held for weeks in the press office until a newspaper story said it had broken.",
        ),
    ])?;
    assert_eq!(
        refs(&search(&near, "embargo broken")?).first(),
        Some(&"near000001")
    );
    Ok(())
}

#[test]
fn a_search_that_finds_nothing_suggests_known_words() -> crate::Result<()> {
    let (_dir, index) = index(vec![
        report("embargo001", "Embargo broken", "The embargo was broken."),
        report("recip00002", "Wrong recipient", "The recipient was wrong."),
    ])?;
    // One letter off: searched for the known word at once, and said so.
    let corrected = search(&index, "embrago")?;
    assert_eq!(refs(&corrected), vec!["embargo001"]);
    assert!(corrected.notices.contains(&Notice::Corrected {
        typed: "embrago".into(),
        searched: "embargo".into()
    }));
    // Two letters off in a short word: nothing found, and closer words offered.
    let nothing = search(&index, "embrgoo")?;
    assert_eq!(nothing.total, 0);
    assert_eq!(nothing.did_you_mean, vec!["embargo".to_owned()]);
    Ok(())
}

#[test]
fn phrases_exclusions_and_or_still_hold() -> crate::Result<()> {
    let (_dir, index) = index(vec![
        report(
            "phrase0001",
            "Tracked changes left in",
            "The tracked changes showed comments.",
        ),
        report(
            "apart00002",
            "Changes tracked",
            "Changes were not tracked at all.",
        ),
        report(
            "sms0000003",
            "SMS to the wrong people",
            "A text message went out.",
        ),
    ])?;
    assert_eq!(
        refs(&search(&index, "\"tracked changes\"")?),
        vec!["phrase0001"]
    );
    assert_eq!(
        refs(&search(&index, "tracked -comments")?),
        vec!["apart00002"]
    );
    let mut either = refs(&search(&index, "sms OR comments")?)
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
    either.sort();
    assert_eq!(either, vec!["phrase0001", "sms0000003"]);
    Ok(())
}

#[test]
fn a_similar_lesson_shares_more_than_common_words() -> crate::Result<()> {
    let mut reports: Vec<IndexedReport> = (0..60)
        .map(|n| {
            report(
                &format!("common{n:04}"),
                "A message sent",
                "The message was sent.",
            )
        })
        .collect();
    reports.push(report(
        "embargo001",
        "Embargo broken",
        "The embargo message was sent early.",
    ));
    reports.push(report(
        "embargo002",
        "Embargo held",
        "The embargo held; a message was sent.",
    ));
    let (_dir, index) = index(reports)?;
    let similar: Vec<String> = index
        .similar_to("embargo001", 5)?
        .into_iter()
        .map(|h| h.report_ref)
        .collect();
    assert_eq!(
        similar,
        vec!["embargo002".to_owned()],
        "only common words: not similar"
    );
    Ok(())
}

#[test]
fn a_query_of_words_in_most_lessons_is_ranked_among_the_matches_seen() -> crate::Result<()> {
    // Enough lessons for words to count as common: every lesson holds "the" and "of", one
    // in three "printer".
    let reports = (0..10_000)
        .map(|i| {
            let printer = if i % 3 == 0 { " the printer" } else { "" };
            report(
                &format!("common{i:05}"),
                &format!("Note {i}"),
                &format!("Most of the words{printer} say little of the case {i}."),
            )
        })
        .collect();
    let (_dir, index) = index(reports)?;
    assert!(common(&index, "the of")?);
    assert!(common(&index, "\"of the\"")?);
    assert!(
        !common(&index, "the printer")?,
        "a word in a third of the lessons tells"
    );
    assert!(
        !common(&index, "the embargo")?,
        "a word the thesaurus widens is not common"
    );

    let results = search(&index, "the of")?;
    assert!(
        results.total_is_estimate,
        "more matches than counted exactly"
    );
    assert_eq!(results.hits.len(), 10);
    assert!(
        results.hits.windows(2).all(|w| w[0].score >= w[1].score),
        "the matches seen are ranked by the full query"
    );
    // A page past the matches seen is still filled.
    let far = index.search(&SearchRequest {
        text: "the of".into(),
        limit: 10,
        offset: 9_000,
        ..SearchRequest::default()
    })?;
    assert_eq!(far.hits.len(), 10);
    Ok(())
}

#[test]
fn in_a_small_index_no_word_is_common() -> crate::Result<()> {
    let (_dir, index) = index(vec![
        report("small00001", "Of the list", "The case of the list."),
        report("small00002", "Of the draft", "The case of the draft."),
    ])?;
    let reading = crate::reading::read("the of")
        .ok_or_else(|| crate::Error::Io(std::io::Error::other("no words")))?;
    let graded = index.graded(&index.reader.searcher(), &reading, Grade::Graded)?;
    assert!(graded.is_some_and(|graded| !graded.common));
    Ok(())
}

/// Whether the graded reading of `text` finds every word typed common.
fn common(index: &SearchIndex, text: &str) -> crate::Result<bool> {
    let reading = crate::reading::read(text)
        .ok_or_else(|| crate::Error::Io(std::io::Error::other("no words")))?;
    Ok(index
        .graded(&index.reader.searcher(), &reading, Grade::Graded)?
        .is_some_and(|graded| graded.common))
}

#[test]
fn phrases_of_common_words_match_exactly_from_their_pairs() -> crate::Result<()> {
    let (_dir, index) = index(vec![
        report(
            "pairs00001",
            "Reply",
            "He replied to all of the staff in the morning.",
        ),
        report(
            "pairs00002",
            "Staff",
            "All the staff replied to him: of all things.",
        ),
        report(
            "pairs00003",
            "Away",
            "It was in the draft, sent with the rest.",
        ),
    ])?;
    // Every two neighbouring words hold a common one: read from the pairs.
    assert_eq!(refs(&search(&index, "\"to all of the\"")?), ["pairs00001"]);
    assert_eq!(refs(&search(&index, "\"in the\"")?).len(), 2);
    assert!(search(&index, "\"the in\"")?.hits.is_empty());
    assert!(search(&index, "\"of the all\"")?.hits.is_empty());
    // Across two texts (title, then narrative) a phrase does not match.
    assert!(search(&index, "\"away it\"")?.hits.is_empty());
    // Left out by a phrase of common words.
    let left = search(&index, "staff -\"to all\"")?;
    assert_eq!(refs(&left), ["pairs00002"]);
    // A phrase with two uncommon neighbours is read from the words' positions, as before.
    assert_eq!(
        refs(&search(&index, "\"the staff replied\"")?),
        ["pairs00002"]
    );
    Ok(())
}
