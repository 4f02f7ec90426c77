//! Ranking, filters, facets, snippets and similar reports on a small real index.

use tempfile::TempDir;

use crate::{
    Change, Filters, IndexedReport, Notice, SearchIndex, SearchRequest, SearchResults, Sort,
};

fn report(report_ref: &str, title: &str, narrative: &str) -> IndexedReport {
    IndexedReport {
        report_ref: report_ref.into(),
        title: title.into(),
        narrative: narrative.into(),
        lesson: String::new(),
        month: 202501,
        ..Default::default()
    }
}

fn corpus() -> Vec<IndexedReport> {
    let mut reports = vec![
        report(
            "reply00001",
            "Reply-all to the whole agency with a draft",
            "The draft budget went to every list member by reply-all.",
        ),
        report(
            "email00002",
            "Wrong e-mail recipient chosen by autocomplete",
            "Autocomplete picked a namesake in another agency.",
        ),
        report(
            "embargo003",
            "Embargoed figures released early",
            "The scheduled post published the embargoed unemployment figures a day early.",
        ),
        report(
            "tone000004",
            "Dismissive tone on a public post",
            "A short answer on social media read as dismissive to worried parents.",
        ),
        report(
            "phrase0005",
            "Budget draft shared",
            "The figures were early but the draft was fine; no embargo was broken.",
        ),
        report(
            "script0006",
            "A <script>alert(1)</script> in a title",
            "Text with <b>markup</b> that must stay text: embargo.",
        ),
    ];
    reports[0].channel = Some("email".into());
    reports[0].impact = Some("minor".into());
    reports[0].factors = vec!["reply_all_default".into(), "time_pressure".into()];
    reports[0].categories = vec!["tools_channels".into(), "people_workload".into()];
    reports[0].unit = vec!["Tax Agency".into(), "Web team".into()];
    reports[0].tags = vec!["reply-all".into()];
    reports[1].channel = Some("email".into());
    reports[1].impact = Some("near_miss".into());
    reports[1].factors = vec!["autocomplete".into()];
    reports[1].categories = vec!["tools_channels".into()];
    reports[1].unit = vec!["Tax Agency".into(), "Contact centre".into()];
    reports[1].month = 202406;
    reports[2].channel = Some("public_social".into());
    reports[2].impact = Some("serious".into());
    reports[2].factors = vec!["embargo_process".into()];
    reports[2].categories = vec!["process_policy".into()];
    reports[2].unit = vec!["City Council".into()];
    reports[2].month = 202603;
    reports[3].channel = Some("public_social".into());
    reports[3].impact = Some("minor".into());
    reports[3].unit = vec!["City Council".into(), "Mayor's office".into()];
    reports[3].tags = vec!["tone".into()];
    reports
}

pub(crate) fn index() -> crate::Result<(TempDir, SearchIndex)> {
    let dir = tempfile::tempdir()?;
    let (index, _) = SearchIndex::open(&dir.path().join("index"))?;
    let changes: Vec<Change> = corpus()
        .into_iter()
        .map(|r| Change::Upsert(Box::new(r)))
        .collect();
    index.apply(&changes, 6)?;
    Ok((dir, index))
}

pub(crate) fn search(
    index: &SearchIndex,
    text: &str,
    filters: Filters,
) -> crate::Result<SearchResults> {
    index.search(&SearchRequest {
        text: text.into(),
        filters,
        sort: Sort::Relevance,
        limit: 10,
        offset: 0,
    })
}

pub(crate) fn refs(results: &SearchResults) -> Vec<&str> {
    results.hits.iter().map(|h| h.report_ref.as_str()).collect()
}

#[test]
fn an_exact_title_finds_its_report_first() -> crate::Result<()> {
    let (_dir, index) = index()?;
    let results = search(
        &index,
        "Embargoed figures released early",
        Filters::default(),
    )?;
    assert_eq!(refs(&results).first(), Some(&"embargo003"));
    Ok(())
}

#[test]
fn a_typo_still_finds_it_and_says_so() -> crate::Result<()> {
    let (_dir, index) = index()?;
    let results = search(&index, "embarggoed figures", Filters::default())?;
    assert_eq!(refs(&results).first(), Some(&"embargo003"));
    assert!(
        results.notices.contains(&Notice::Corrected {
            typed: "embarggoed".into(),
            searched: "embargoed".into()
        }),
        "{:?}",
        results.notices
    );
    Ok(())
}

#[test]
fn a_phrase_matches_only_the_phrase() -> crate::Result<()> {
    let (_dir, index) = index()?;
    let results = search(
        &index,
        "\"embargoed unemployment figures\"",
        Filters::default(),
    )?;
    assert_eq!(refs(&results), vec!["embargo003"]);
    let loose = search(&index, "figures embargo", Filters::default())?;
    assert!(loose.total >= 2, "without quotes the words may be apart");
    Ok(())
}

#[test]
fn hyphenated_words_are_found_with_or_without_the_hyphen() -> crate::Result<()> {
    let (_dir, index) = index()?;
    assert_eq!(
        refs(&search(&index, "reply-all", Filters::default())?).first(),
        Some(&"reply00001")
    );
    assert_eq!(
        refs(&search(&index, "replyall", Filters::default())?).first(),
        Some(&"reply00001")
    );
    assert_eq!(
        refs(&search(&index, "email recipient", Filters::default())?),
        vec!["email00002"]
    );
    assert_eq!(
        refs(&search(&index, "e-mail recipient", Filters::default())?),
        vec!["email00002"]
    );
    Ok(())
}

#[test]
fn exclusion_and_or_work() -> crate::Result<()> {
    let (_dir, index) = index()?;
    let without = search(&index, "draft -embargo", Filters::default())?;
    assert_eq!(refs(&without), vec!["reply00001"]);
    let either = search(&index, "autocomplete OR dismissive", Filters::default())?;
    let mut found = refs(&either);
    found.sort();
    assert_eq!(found, vec!["email00002", "tone000004"]);
    Ok(())
}

#[test]
fn unreadable_syntax_is_read_leniently() -> crate::Result<()> {
    let (_dir, index) = index()?;
    let results = search(&index, "embargo AND (figures", Filters::default())?;
    assert!(results.total > 0);
    assert!(
        results
            .notices
            .iter()
            .any(|n| matches!(n, Notice::Lenient { .. })),
        "{:?}",
        results.notices
    );
    let results = search(&index, "\"unclosed phrase", Filters::default())?;
    assert!(
        results
            .notices
            .iter()
            .any(|n| matches!(n, Notice::Lenient { .. }))
    );
    Ok(())
}

#[test]
fn every_filter_narrows_and_facets_count() -> crate::Result<()> {
    let (_dir, index) = index()?;
    let all = search(&index, "", Filters::default())?;
    assert_eq!(all.total, 6);
    let count = |list: &[crate::FacetCount], value: &str| {
        list.iter().find(|c| c.value == value).map(|c| c.count)
    };
    assert_eq!(count(&all.facets.channel, "email"), Some(2));
    assert_eq!(count(&all.facets.channel, "public_social"), Some(2));
    assert_eq!(count(&all.facets.impact, "minor"), Some(2));
    assert_eq!(count(&all.facets.factor, "autocomplete"), Some(1));
    assert_eq!(count(&all.facets.category, "tools_channels"), Some(2));
    assert_eq!(count(&all.facets.unit, "Tax Agency"), Some(2));
    assert_eq!(count(&all.facets.tag, "reply-all"), Some(1));

    let by = |filters: Filters| -> crate::Result<Vec<String>> {
        let mut found: Vec<String> = refs(&search(&index, "", filters)?)
            .into_iter()
            .map(str::to_owned)
            .collect();
        found.sort();
        Ok(found)
    };
    assert_eq!(
        by(Filters {
            channel: vec!["email".into()],
            ..Default::default()
        })?,
        vec!["email00002", "reply00001"]
    );
    assert_eq!(
        by(Filters {
            impact: vec!["serious".into(), "near_miss".into()],
            ..Default::default()
        })?,
        vec!["email00002", "embargo003"]
    );
    assert_eq!(
        by(Filters {
            factor: vec!["autocomplete".into()],
            ..Default::default()
        })?,
        vec!["email00002"]
    );
    assert_eq!(
        by(Filters {
            tag: vec!["tone".into()],
            ..Default::default()
        })?,
        vec!["tone000004"]
    );
    assert_eq!(
        by(Filters {
            unit: vec!["City Council".into()],
            ..Default::default()
        })?,
        vec!["embargo003", "tone000004"]
    );
    assert_eq!(
        by(Filters {
            unit: vec!["Tax Agency".into(), "Web team".into()],
            ..Default::default()
        })?,
        vec!["reply00001"]
    );
    assert_eq!(
        by(Filters {
            from_month: Some(202501),
            to_month: Some(202512),
            ..Default::default()
        })?
        .len(),
        4
    );
    assert_eq!(
        by(Filters {
            from_month: Some(202601),
            ..Default::default()
        })?,
        vec!["embargo003"]
    );
    assert_eq!(
        by(Filters {
            to_month: Some(202412),
            ..Default::default()
        })?,
        vec!["email00002"]
    );

    let sub = search(
        &index,
        "",
        Filters {
            unit: vec!["Tax Agency".into()],
            ..Default::default()
        },
    )?;
    assert_eq!(count(&sub.facets.unit, "Tax Agency/Web team"), Some(1));
    assert_eq!(
        count(&sub.facets.unit, "Tax Agency/Contact centre"),
        Some(1)
    );
    Ok(())
}

#[test]
fn snippets_highlight_matches_and_escape_markup() -> crate::Result<()> {
    let (_dir, index) = index()?;
    let results = search(&index, "script markup", Filters::default())?;
    let hit = results.hits.first().ok_or(crate::Error::Poisoned)?;
    assert!(!hit.title_html.contains("<script>"), "{}", hit.title_html);
    assert!(hit.title_html.contains("&lt;"), "{}", hit.title_html);
    assert!(
        !hit.snippet_html.contains("<b>markup"),
        "{}",
        hit.snippet_html
    );
    assert!(
        hit.snippet_html.contains("<mark>markup</mark>"),
        "{}",
        hit.snippet_html
    );
    Ok(())
}

#[test]
fn paging_and_newest_first() -> crate::Result<()> {
    let (_dir, index) = index()?;
    let request = |offset, sort| SearchRequest {
        text: String::new(),
        filters: Filters::default(),
        sort,
        limit: 2,
        offset,
    };
    let first = index.search(&request(0, Sort::Newest))?;
    assert_eq!(first.total, 6);
    assert_eq!(refs(&first)[0], "embargo003");
    let third = index.search(&request(4, Sort::Newest))?;
    assert_eq!(third.hits.len(), 2);
    assert_eq!(refs(&third)[1], "email00002");
    Ok(())
}

#[test]
fn similar_reports_exclude_the_report_itself() -> crate::Result<()> {
    let (_dir, index) = index()?;
    let similar = index.similar_to("embargo003", 3)?;
    assert!(!similar.is_empty());
    assert!(similar.iter().all(|h| h.report_ref != "embargo003"));
    assert_eq!(
        similar[0].report_ref, "phrase0005",
        "shares figures, early, embargo"
    );
    let drafted = index.similar_to_text(
        "Reply all by mistake",
        "I pressed reply-all on the agency list",
        3,
    )?;
    assert_eq!(
        drafted.first().map(|h| h.report_ref.as_str()),
        Some("reply00001")
    );
    assert!(index.similar_to("nosuchref0", 3)?.is_empty());
    Ok(())
}

#[test]
fn two_reports_about_the_same_thing_are_similar() -> crate::Result<()> {
    let dir = tempfile::tempdir()?;
    let (index, _) = SearchIndex::open(&dir.path().join("index"))?;
    index.apply(
        &[
            Change::Upsert(Box::new(report(
                "aaaaaaaaaa",
                "Reply-all to the agency list",
                "The reply-all went to the whole agency list.",
            ))),
            Change::Upsert(Box::new(report(
                "bbbbbbbbbb",
                "Another reply-all to a big list",
                "Again reply-all to a huge distribution list.",
            ))),
        ],
        2,
    )?;
    let similar = index.similar_to("aaaaaaaaaa", 3)?;
    assert_eq!(
        similar
            .iter()
            .map(|h| h.report_ref.as_str())
            .collect::<Vec<_>>(),
        vec!["bbbbbbbbbb"]
    );
    // Applied again, as after a crash before the payload moved on: still one copy each.
    index.apply(
        &[Change::Upsert(Box::new(report(
            "aaaaaaaaaa",
            "Reply-all to the agency list",
            "The reply-all went to the whole agency list.",
        )))],
        1,
    )?;
    assert_eq!(index.num_docs(), 2);
    let similar = index.similar_to("aaaaaaaaaa", 3)?;
    assert_eq!(
        similar
            .iter()
            .map(|h| h.report_ref.as_str())
            .collect::<Vec<_>>(),
        vec!["bbbbbbbbbb"]
    );
    Ok(())
}

#[test]
fn past_the_budget_totals_are_estimated_and_below_it_exact() -> crate::Result<()> {
    use tantivy::{collector::Count, query::AllQuery};

    use crate::budget::Budgeted;

    let dir = tempfile::tempdir()?;
    let (index, _) = SearchIndex::open(&dir.path().join("index"))?;
    let reports: Vec<Change> = (0..3_000)
        .map(|n| {
            Change::Upsert(Box::new(report(
                &format!("r{n:09}"),
                "common",
                "common words",
            )))
        })
        .collect();
    index.apply(&reports, 1)?;
    let searcher = index.reader.searcher();
    let exact = searcher.search(
        &AllQuery,
        &Budgeted::new(Count, 10_000, searcher.num_docs()),
    )?;
    assert!(exact.complete);
    assert_eq!((exact.total, exact.fruit), (3_000, 3_000));
    let sampled = searcher.search(&AllQuery, &Budgeted::new(Count, 300, searcher.num_docs()))?;
    assert!(!sampled.complete);
    assert!(
        sampled.matched <= 310,
        "stopped near the budget: {}",
        sampled.matched
    );
    assert!(
        (2_700..=3_300).contains(&sampled.total),
        "estimate {}",
        sampled.total
    );
    Ok(())
}

#[test]
fn similar_reports_survive_replaced_reports_that_are_not_merged_away_yet() -> crate::Result<()> {
    let dir = tempfile::tempdir()?;
    let (index, _) = SearchIndex::open(&dir.path().join("index"))?;
    let agency = |report_ref: &str| {
        Change::Upsert(Box::new(report(
            report_ref,
            "Reply-all to the agency list",
            "The reply-all went to the whole agency list.",
        )))
    };
    // Published together with others that mention the agency, then edited: the first copy
    // stays in its segment, deleted, until a merge (how often depends on the writer's threads
    // and merges; the capped frequency itself is tested in `similar`).
    let mut first = vec![agency("aaaaaaaaaa"), agency("bbbbbbbbbb")];
    first.extend((0..10).map(|n| {
        Change::Upsert(Box::new(report(
            &format!("other{n:05}"),
            "Newsletter sent late",
            "The agency newsletter went out a day late.",
        )))
    }));
    index.apply(&first, 1)?;
    index.apply(&[agency("aaaaaaaaaa")], 2)?;
    let similar = index.similar_to("aaaaaaaaaa", 3)?;
    assert_eq!(
        similar.first().map(|h| h.report_ref.as_str()),
        Some("bbbbbbbbbb")
    );
    assert!(similar.iter().all(|h| h.report_ref != "aaaaaaaaaa"));
    assert!(
        !index
            .similar_to_text("Reply-all", "agency list", 3)?
            .is_empty()
    );
    Ok(())
}

#[test]
fn a_chosen_value_leaves_its_alternatives_listed() -> crate::Result<()> {
    let (_dir, index) = index()?;
    let count = |list: &[crate::FacetCount], value: &str| {
        list.iter().find(|c| c.value == value).map(|c| c.count)
    };
    let email = search(
        &index,
        "",
        Filters {
            channel: vec!["email".into()],
            impact: vec!["minor".into()],
            ..Default::default()
        },
    )?;
    assert_eq!(refs(&email), vec!["reply00001"]);
    // Each facet counts under every filter but its own: the other channels among minor
    // mistakes, the other impacts among email ones.
    assert_eq!(count(&email.facets.channel, "email"), Some(1));
    assert_eq!(count(&email.facets.channel, "public_social"), Some(1));
    assert_eq!(count(&email.facets.impact, "near_miss"), Some(1));
    assert_eq!(count(&email.facets.impact, "serious"), None);
    // A facet without a choice counts the results themselves.
    assert_eq!(count(&email.facets.tag, "reply-all"), Some(1));
    assert_eq!(count(&email.facets.tag, "tone"), None);
    Ok(())
}
