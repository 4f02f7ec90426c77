//! Drafting and deciding through the services: reinforce or add, quotes of published text,
//! acceptance with its revision and evidence, rejection and deferral that stick, regression.

use kintsugi::services::{
    accounts::Role,
    guidelines::{self, EvidenceKind},
    patterns::{self, PatternStatus},
    suggestions::{self, Acceptance, SuggestionKind, SuggestionStatus},
};
use kintsugi_tests::each_backend;
use sea_orm::ConnectionTrait;

use super::{COVERING, NEARBY, all, drafted, only, refresh};
use crate::{
    guidelines::account,
    patterns::{bcc_lines, detect},
    support::{import, number},
};

#[tokio::test]
async fn a_section_that_already_asks_for_it_is_reinforced() -> anyhow::Result<()> {
    each_backend(async |app| {
        let done = drafted(&app, &[NEARBY, COVERING]).await?;
        assert_eq!(done.drafted, 1, "{done:?}");
        let s = super::only(&app).await?;
        assert_eq!(s.kind, SuggestionKind::Reinforce);
        assert_eq!(s.section.as_deref(), Some(COVERING.0));
        assert_eq!(s.status, SuggestionStatus::Open);
        assert!(
            s.reason
                .starts_with("Email §2 “Sending to many people” already covers this"),
            "{}",
            s.reason
        );
        assert!(
            s.reason.contains("5 occurrences in 5 units since 2026-03"),
            "{}",
            s.reason
        );
        // The section as it stands, then what the lessons add.
        assert!(
            s.proposed_text.starts_with(COVERING.2),
            "{}",
            s.proposed_text
        );
        assert!(s.proposed_text.contains("\n> "), "{}", s.proposed_text);
        assert_eq!(s.quoted.len(), 3, "{:?}", s.quoted);

        // Re-running updates the one suggestion, never a second.
        let again = refresh(&app).await?;
        assert_eq!((again.drafted, again.updated), (0, 1), "{again:?}");
        assert_eq!(number(&app, "SELECT COUNT(*) FROM suggestions").await?, 1);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_guideline_that_does_not_say_it_gets_a_new_section() -> anyhow::Result<()> {
    each_backend(async |app| {
        drafted(&app, &[NEARBY]).await?;
        let s = only(&app).await?;
        assert_eq!(s.kind, SuggestionKind::Add);
        assert_eq!(s.section, None);
        assert_eq!(s.current_text, None);
        assert!(
            s.reason.starts_with(
                "No section covers this well: the closest, Email §1 “Keeping lists current”"
            ),
            "{}",
            s.reason
        );
        assert!(!s.heading.is_empty());
        Ok(())
    })
    .await
}

#[tokio::test]
async fn drafts_quote_the_published_version_never_the_reporters_words() -> anyhow::Result<()> {
    each_backend(async |app| {
        crate::guidelines::email_guideline(&app, &[COVERING]).await?;
        crate::patterns::collection(&app, &[0, 2, 4, 6, 7]).await?;
        let db = &app.state.db;
        db.execute_unprepared(
            "UPDATE publications SET lesson = 'Published wording: lists go in Bcc.'",
        )
        .await?;
        db.execute_unprepared("UPDATE reports SET lesson = 'RAW WORDS OF THE REPORTER'")
            .await?;
        detect(&app).await?;
        refresh(&app).await?;
        let s = only(&app).await?;
        assert!(
            s.proposed_text
                .contains("Published wording: lists go in Bcc.")
        );
        assert!(
            !s.proposed_text.contains("RAW WORDS"),
            "{}",
            s.proposed_text
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn accepting_makes_one_revision_with_its_evidence_and_addresses_the_pattern()
-> anyhow::Result<()> {
    each_backend(async |app| {
        drafted(&app, &[COVERING]).await?;
        let s = only(&app).await?;
        let owner = account(&app, &app.staff("po.one", Role::PolicyOwner).await?).await?;
        let before = guidelines::revisions(&app.state.db, "email").await?.len();
        let text = format!("{}\n\nCheck the Bcc field before sending.\n", COVERING.2);
        let accepted = suggestions::accept(
            &app.state.db,
            &owner,
            s.id,
            &Acceptance {
                heading: None,
                text: text.clone(),
                rationale: "Five units repeated it.".to_owned(),
                effective_from: Some("2026-04-01".to_owned()),
            },
        )
        .await?;
        assert_eq!(accepted.status, SuggestionStatus::Accepted);
        let revisions = guidelines::revisions(&app.state.db, "email").await?;
        assert_eq!(revisions.len(), before + 1);
        let newest = &revisions[0];
        assert_eq!(
            accepted.decided.as_ref().and_then(|d| d.revision),
            Some(newest.number)
        );
        assert_eq!(newest.effective_from.to_string(), "2026-04-01");
        let kinds: Vec<EvidenceKind> = newest.evidence.iter().map(|e| e.kind).collect();
        assert_eq!(
            kinds[..2],
            [EvidenceKind::Pattern, EvidenceKind::Suggestion]
        );
        assert_eq!(newest.evidence[1].key, s.id.to_string());
        assert_eq!(
            kinds.iter().filter(|k| **k == EvidenceKind::Lesson).count(),
            5,
            "{:?}",
            newest.evidence
        );
        let section = guidelines::section(&app.state.db, "email", COVERING.0).await?;
        assert_eq!(section.markdown.trim_end(), text.trim_end());
        let pattern = patterns::all(&app.state.db, &Default::default()).await?;
        assert_eq!(pattern[0].status, PatternStatus::Addressed);

        // Decided once: a second acceptance is refused and makes nothing.
        let again = suggestions::accept(
            &app.state.db,
            &owner,
            s.id,
            &Acceptance {
                text: "Other".to_owned(),
                rationale: "Again".to_owned(),
                ..Acceptance::default()
            },
        )
        .await;
        assert!(again.is_err_and(|e| e.to_string().contains("was accepted on")));
        assert_eq!(
            guidelines::revisions(&app.state.db, "email").await?.len(),
            before + 1
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_rejected_suggestion_stays_away_until_its_pattern_grows_clearly() -> anyhow::Result<()> {
    each_backend(async |app| {
        drafted(&app, &[COVERING]).await?;
        let s = only(&app).await?;
        let owner = account(&app, &app.staff("po.one", Role::PolicyOwner).await?).await?;
        let empty = suggestions::reject(&app.state.db, &owner, s.id, "  ").await;
        assert!(empty.is_err_and(|e| e.to_string().starts_with("rationale:")));
        suggestions::reject(&app.state.db, &owner, s.id, "The rule is clear enough.").await?;

        // Two more occurrences are not growing clearly (5 → 7 needs 8).
        import(&app, &bcc_lines(&[1, 3], 1), true).await?;
        detect(&app).await?;
        refresh(&app).await?;
        assert_eq!(only(&app).await?.status, SuggestionStatus::Rejected);

        import(&app, &bcc_lines(&[5], 3), true).await?;
        detect(&app).await?;
        let back = refresh(&app).await?;
        assert_eq!(back.reopened, 1, "{back:?}");
        let s = only(&app).await?;
        assert_eq!(s.status, SuggestionStatus::Open);
        let rejection = s.decided.as_ref();
        assert_eq!(
            rejection.and_then(|d| d.rationale.as_deref()),
            Some("The rule is clear enough.")
        );
        assert_eq!(rejection.and_then(|d| d.occurrences), Some(5));
        assert_eq!(s.pattern_occurrences, 8);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_deferred_suggestion_comes_back_on_its_date() -> anyhow::Result<()> {
    each_backend(async |app| {
        drafted(&app, &[COVERING]).await?;
        let s = only(&app).await?;
        let owner = account(&app, &app.staff("po.one", Role::PolicyOwner).await?).await?;
        let past = suggestions::defer(&app.state.db, &owner, s.id, "2020-01-01").await;
        assert!(past.is_err_and(|e| e.to_string().starts_with("until: must be after today")));
        let tomorrow = kintsugi::today() + time::Duration::days(1);
        suggestions::defer(&app.state.db, &owner, s.id, &tomorrow.to_string()).await?;
        assert_eq!(only(&app).await?.status, SuggestionStatus::Deferred);
        assert_eq!(suggestions::open_count(&app.state.db).await?, 0);

        // Its day comes.
        app.state
            .db
            .execute_unprepared(&format!(
                "UPDATE suggestions SET deferred_until = '{}'",
                kintsugi::today()
            ))
            .await?;
        assert_eq!(only(&app).await?.status, SuggestionStatus::Open);
        assert_eq!(suggestions::open_count(&app.state.db).await?, 1);
        let done = refresh(&app).await?;
        assert_eq!(done.reopened, 1, "{done:?}");
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_pattern_that_comes_back_after_its_change_is_reinforced_again_citing_it()
-> anyhow::Result<()> {
    each_backend(async |app| {
        drafted(&app, &[COVERING]).await?;
        let s = only(&app).await?;
        let owner = account(&app, &app.staff("po.one", Role::PolicyOwner).await?).await?;
        // A change effective long before the reports: past its grace period, every one of
        // them is a regression.
        suggestions::accept(
            &app.state.db,
            &owner,
            s.id,
            &Acceptance {
                text: format!("{}\n\nAlways Bcc.\n", COVERING.2),
                rationale: "Lists keep leaking.".to_owned(),
                effective_from: Some("2025-06-01".to_owned()),
                heading: None,
            },
        )
        .await?;
        detect(&app).await?;
        let pattern = patterns::all(&app.state.db, &Default::default()).await?;
        assert_eq!(pattern[0].status, PatternStatus::Regressed);
        let done = refresh(&app).await?;
        assert_eq!(done.drafted, 1, "{done:?}");
        let found = all(&app).await?;
        let open: Vec<_> = found
            .iter()
            .filter(|s| s.status == SuggestionStatus::Open)
            .collect();
        assert_eq!(open.len(), 1, "{found:#?}");
        assert_eq!(open[0].kind, SuggestionKind::Reinforce);
        assert_eq!(open[0].round, 2);
        assert!(
            open[0]
                .reason
                .contains("was changed for this pattern in revision"),
            "{}",
            open[0].reason
        );
        assert!(open[0].proposed_text.contains("Always Bcc."));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn two_owners_accepting_at_once_make_one_revision() -> anyhow::Result<()> {
    each_backend(async |app| {
        drafted(&app, &[COVERING]).await?;
        let s = only(&app).await?;
        let one = account(&app, &app.staff("po.one", Role::PolicyOwner).await?).await?;
        let two = account(&app, &app.staff("po.two", Role::PolicyOwner).await?).await?;
        let before = guidelines::revisions(&app.state.db, "email").await?.len();
        let accept = |who, words: &'static str| {
            let db = app.state.db.clone();
            let id = s.id;
            async move {
                suggestions::accept(
                    &db,
                    &who,
                    id,
                    &Acceptance {
                        text: format!("{}\n\n{words}\n", COVERING.2),
                        rationale: words.to_owned(),
                        ..Acceptance::default()
                    },
                )
                .await
            }
        };
        let (a, b) = tokio::join!(accept(one, "First."), accept(two, "Second."));
        assert_eq!(
            usize::from(a.is_ok()) + usize::from(b.is_ok()),
            1,
            "{a:?} {b:?}"
        );
        assert_eq!(
            guidelines::revisions(&app.state.db, "email").await?.len(),
            before + 1
        );
        Ok(())
    })
    .await
}
