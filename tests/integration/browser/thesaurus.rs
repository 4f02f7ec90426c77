//! The admin's thesaurus pages, by keyboard, with a group refused and its text kept.

use anyhow::ensure;
use kintsugi::services::accounts::{self, Password, Role};
use kintsugi_tests::browser::{Key, journey};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_edits_a_thesaurus_group_and_a_bad_one_comes_back() -> anyhow::Result<()> {
    journey(async |j| {
        let db = &j.site.state.db;
        let password = "a long admin password here";
        accounts::add(
            db,
            "command line",
            "the.admin",
            Role::Admin,
            password,
            Password::Chosen,
        )
        .await?;
        j.open("/admin/thesaurus").await?;
        j.sign_in("the.admin", password).await?;
        ensure!(
            j.count("tr[id^='group-']").await? >= 60,
            "the groups are listed"
        );
        j.check_page("thesaurus").await?;

        j.open("/admin/thesaurus/groups/2").await?;
        j.check_page("thesaurus group").await?;
        j.tab_to("#words").await?;
        // Focus puts the caret before the first word: the new line goes after the last one.
        j.script("const w = document.getElementById('words'); w.setSelectionRange(w.value.length, w.value.length);")
            .await?;
        j.type_text("\nblind copy").await?;
        j.tab_to("form[action='/admin/thesaurus/groups/2'] button")
            .await?;
        j.press_and_follow(Key::Enter).await?;
        let summary = j.text(".error-summary").await?;
        ensure!(summary.contains("already in group 1"), "{summary}");
        ensure!(
            j.count(".error-summary a[href='#words']").await? == 1,
            "the error should link to its field"
        );
        let kept = j
            .script("return document.getElementById('words').value")
            .await?;
        let kept = kept.as_str().unwrap_or_default();
        ensure!(
            kept.ends_with("blind copy"),
            "the typing should be kept: {kept}"
        );
        j.check_page("thesaurus group with an error").await?;
        Ok(())
    })
    .await
}
