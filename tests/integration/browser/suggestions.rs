//! Journey: on the demo data a policy owner finds the suggested guideline updates from the
//! home page, opens one, edits its text, is refused once without a reason (the text kept),
//! accepts it, and reads the new revision with the pattern, the suggestion and the lessons as
//! its evidence; an admin then opens the drafts' templates.

use anyhow::ensure;
use kintsugi::services::{
    accounts::{self, Password, Role},
    suggestions::{self, Filters, SuggestionKind, SuggestionStatus},
};
use kintsugi_tests::browser::{Journey, Key, journey};

const OWNER: &str = "po.licy";
const ADMIN: &str = "ad.min";
const PASSWORD: &str = "a long policy owner password";
const EDIT: &str = "Read the list of recipients aloud before you send. ";

async fn sign_in(j: &Journey, name: &str, next: &str) -> anyhow::Result<()> {
    accounts::add(
        &j.site.state.db,
        "command line",
        name,
        if name == ADMIN {
            Role::Admin
        } else {
            Role::PolicyOwner
        },
        PASSWORD,
        Password::Chosen,
    )
    .await?;
    j.open(&format!("/signin?next={next}")).await?;
    j.sign_in(name, PASSWORD).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_policy_owner_edits_and_accepts_a_suggestion() -> anyhow::Result<()> {
    journey(async |j| {
        j.site.with_demo_suggestions().await?;
        let open = Filters {
            status: Some(SuggestionStatus::Open),
            guideline: None,
        };
        let open = suggestions::list(&j.site.state.db, &open).await?;
        let waiting = open.len();
        ensure!(waiting > 1, "the demo data drafts suggestions");
        let chosen = open
            .into_iter()
            .find(|s| s.kind == SuggestionKind::Reinforce)
            .ok_or_else(|| anyhow::anyhow!("no suggestion reinforces a section"))?;
        let id = chosen.id;

        // The home page counts what waits, and leads to the inbox.
        sign_in(j, OWNER, "/").await?;
        let said = j.text("#suggestions-heading + p").await?;
        ensure!(
            said.contains(&format!("{waiting} suggested guideline updates wait")),
            "{said}"
        );
        j.tab_to("main a[href='/suggestions']").await?;
        j.press_and_follow(Key::Enter).await?;
        j.check_page("the suggestions inbox").await?;
        ensure!(
            j.count("ol.suggestions > li").await? == waiting,
            "every open suggestion is listed"
        );
        j.tab_to(&format!("main h2 a[href='/suggestions/{id}']"))
            .await?;
        j.press_and_follow(Key::Enter).await?;
        j.check_page("a suggestion").await?;
        ensure!(
            j.count(".proposed-diff ins").await? > 0,
            "the proposed change is shown as a diff"
        );
        ensure!(
            j.count(".quoted-lessons a[href^='/reports/']").await? > 0,
            "the quoted lessons are links"
        );

        // Edited, then sent without a reason: the form comes back with the edit kept.
        j.tab_to("#accept-text").await?;
        j.type_text(EDIT).await?;
        j.script("document.querySelector('#accept-rationale').value = ''; return true;")
            .await?;
        j.tab_to("form[action$='/accept'] button[type=submit]")
            .await?;
        j.press_and_follow(Key::Enter).await?;
        let summary = j.text(".error-summary").await?;
        ensure!(
            summary.contains("Say why the guideline changes"),
            "{summary}"
        );
        ensure!(
            j.count(".error-summary a[href='#accept-rationale']")
                .await?
                == 1,
            "the error links to its field"
        );
        let kept = j
            .script("return document.querySelector('#accept-text').value")
            .await?;
        ensure!(
            kept.as_str().is_some_and(|k| k.contains(EDIT.trim())),
            "{kept}"
        );
        j.check_page("a suggestion refused without a reason")
            .await?;

        j.tab_to("#accept-rationale").await?;
        j.type_text("Six lessons this year: the rule needs an example and a check.")
            .await?;
        j.tab_to("form[action$='/accept'] button[type=submit]")
            .await?;
        j.press_and_follow(Key::Enter).await?;
        let path = j.path().await?;
        ensure!(
            path.starts_with(&format!("/guidelines/{}/revisions/", chosen.guideline)),
            "accepting leads to the new revision, not {path}"
        );
        j.check_page("the revision a suggestion made").await?;
        for evidence in [
            format!("/patterns/{}", chosen.pattern_id),
            format!("/suggestions/{id}"),
        ] {
            ensure!(
                j.count(&format!("main ul a[href='{evidence}']")).await? == 1,
                "the evidence lists {evidence}"
            );
        }
        ensure!(
            j.count("main ul a[href^='/reports/']").await? > 0,
            "the evidence lists the lessons"
        );
        let added = j.text(".section-change").await?;
        ensure!(added.contains(EDIT.trim()), "{added}");

        // Decided: the inbox's decided tab and the suggestion's page say so.
        j.open("/suggestions?status=decided").await?;
        j.check_page("the decided suggestions").await?;
        j.open(&format!("/suggestions/{id}")).await?;
        ensure!(
            j.count("form[action$='/accept']").await? == 0,
            "a decided suggestion shows its decision instead of the forms"
        );
        j.check_page("a decided suggestion").await?;

        // An admin reads the drafts' templates.
        j.tab_to("form[action='/signout'] button").await?;
        j.press_and_follow(Key::Enter).await?;
        sign_in(j, ADMIN, "/admin/suggestion-templates").await?;
        ensure!(
            j.count("textarea[name=text]").await? == 2,
            "both templates are shown"
        );
        j.check_page("the suggestion templates").await?;
        Ok(())
    })
    .await
}
