//! Asking single candidates (the pruned plan's checks) and scoring a few of them again
//! (rescoring within candidates) give what scanning and scoring every match give.

use std::{collections::HashSet, sync::Arc};

use tantivy::{
    DocAddress, DocId, Searcher,
    collector::{DocSetCollector, TopDocs},
    query::EnableScoring,
};

use crate::{
    Change, Filters, IndexedReport, SearchIndex, SearchRequest, Thesaurus, checks::Matching,
    graded::Grade, reading, test_words::Words, within::Candidates,
};

/// An index of several segments with deleted documents, and a thesaurus with phrases.
fn index() -> crate::Result<(tempfile::TempDir, SearchIndex)> {
    let dir = tempfile::tempdir()?;
    let (index, _) = SearchIndex::open(&dir.path().join("index"))?;
    let groups = vec![vec![
        "w7".to_owned(),
        "w1 w2".to_owned(),
        "w3 w0 w4".to_owned(),
    ]];
    index.set_thesaurus(
        Thesaurus::new(&groups)
            .map_err(|e| crate::Error::Io(std::io::Error::other(e.to_string())))?,
    );
    let mut words = Words::new(11, 12);
    for (batch, range) in [(1, 0..700), (2, 700..1_400), (3, 0..150)] {
        let changes: Vec<Change> = range
            .map(|n| {
                Change::Upsert(Box::new(IndexedReport {
                    report_ref: format!("r{n:09}"),
                    title: words.text(4),
                    narrative: words.text(30),
                    lesson: words.text(6),
                    tags: vec![words.text(1)],
                    month: 202501,
                    ..Default::default()
                }))
            })
            .collect();
        index.apply(&changes, batch)?;
    }
    Ok((dir, index))
}

fn graded_matching(index: &SearchIndex, searcher: &Searcher, text: &str) -> Matching {
    let reading = reading::read(text).unwrap_or_default();
    match index.graded(searcher, &reading, Grade::Graded) {
        Ok(Some(graded)) => graded.matching,
        other => panic!("{text}: {:?}", other.map(|g| g.is_some())),
    }
}

/// The live documents `matching` holds, asked one at a time: every `step`-th document.
fn asked(
    searcher: &Searcher,
    matching: &Matching,
    step: usize,
) -> crate::Result<HashSet<DocAddress>> {
    let weights = matching.weights(EnableScoring::disabled_from_searcher(searcher))?;
    let mut held = HashSet::new();
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let mut checks = weights.checks(reader)?;
        for doc in (0..reader.max_doc()).step_by(step) {
            if checks.holds(doc) && !reader.is_deleted(doc) {
                held.insert(DocAddress::new(ord as u32, doc as DocId));
            }
        }
    }
    Ok(held)
}

#[test]
fn asking_one_candidate_at_a_time_agrees_with_scanning() -> crate::Result<()> {
    let (_dir, index) = index()?;
    let searcher = index.reader.searcher();
    assert!(searcher.segment_readers().len() > 1);
    for text in [
        "w0",
        "\"w0 w1\"",
        "\"w1 w0 w2\"",
        "w7",
        "w7 w5",
        "w2 w5 w9",
        "w1 OR w9 w3",
        "w3 -\"w0 w0\"",
        "-w2",
    ] {
        let matching = graded_matching(&index, &searcher, text);
        let scanned: HashSet<DocAddress> = searcher.search(&*matching.query(), &DocSetCollector)?;
        assert!(!scanned.is_empty(), "{text} matches something");
        assert_eq!(asked(&searcher, &matching, 1)?, scanned, "{text}");
        // Asked of every third document only, as the pruned plan skips most.
        let every_third: HashSet<DocAddress> = scanned
            .iter()
            .filter(|address| address.doc_id % 3 == 0)
            .copied()
            .collect();
        assert_eq!(asked(&searcher, &matching, 3)?, every_third, "{text}");
    }
    Ok(())
}

#[test]
fn candidates_rescored_within_score_as_scoring_every_match() -> crate::Result<()> {
    let (_dir, index) = index()?;
    let searcher = index.reader.searcher();
    let statistics = index.lesson_statistics(&searcher)?;
    for text in ["w7", "w2 w5", "\"w1 w0 w2\" w3", "w7 w5 w9 w2"] {
        let reading = reading::read(text).unwrap_or_default();
        let Some(graded) = index.graded(&searcher, &reading, Grade::Graded)? else {
            panic!("{text} asks for something");
        };
        let everything = searcher.search_with_statistics_provider(
            &*graded.query,
            &TopDocs::with_limit(10_000).order_by_score(),
            &statistics,
        )?;
        // A few candidates spread over the segments, and one that does not match.
        let mut candidates: Vec<DocAddress> =
            everything.iter().step_by(17).map(|(_, a)| *a).collect();
        assert!(candidates.len() > 3, "{text}");
        let matched: HashSet<DocAddress> = everything.iter().map(|(_, a)| *a).collect();
        if let Some(unmatched) = (0..searcher.segment_reader(0).max_doc())
            .map(|doc| DocAddress::new(0, doc))
            .find(|address| !matched.contains(address))
        {
            candidates.push(unmatched);
        }
        let within = index.rescoring(&graded, &Arc::new(Candidates::of(&searcher, &candidates)));
        // Only the candidates' scores are meant: its words alone may match others.
        let rescored: Vec<(f32, DocAddress)> = searcher
            .search_with_statistics_provider(
                &*within,
                &TopDocs::with_limit(10_000).order_by_score(),
                &statistics,
            )?
            .into_iter()
            .filter(|(_, address)| candidates.contains(address))
            .collect();
        let wanted: Vec<(f32, DocAddress)> = everything
            .iter()
            .filter(|(_, address)| candidates.contains(address))
            .copied()
            .collect();
        assert_eq!(rescored.len(), wanted.len(), "{text}");
        for ((a, address), (b, expected)) in rescored.iter().zip(&wanted) {
            assert_eq!(address, expected, "{text}");
            assert!((a - b).abs() <= 1e-3 * b.abs(), "{text}: {a} against {b}");
        }
    }
    Ok(())
}

#[test]
fn a_phrase_never_runs_from_one_field_into_the_next() -> crate::Result<()> {
    let (_dir, index) = index()?;
    index.apply(
        &[Change::Upsert(Box::new(IndexedReport {
            report_ref: "apart00001".into(),
            title: "Newsletter zebra".into(),
            lesson: "Quagga checks".into(),
            month: 202501,
            ..Default::default()
        }))],
        4,
    )?;
    let found = |text: &str| {
        index.search(&SearchRequest {
            text: text.into(),
            filters: Filters::default(),
            limit: 10,
            ..SearchRequest::default()
        })
    };
    assert_eq!(found("\"newsletter zebra\"")?.total, 1);
    assert_eq!(found("\"zebra quagga\"")?.total, 0);
    Ok(())
}
