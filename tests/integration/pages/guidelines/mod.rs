//! The guideline pages: reading a guideline with the lessons behind each section, its
//! history and diffs; policy owners changing it; moderators linking lessons.

mod bad_input;
mod demo;
mod editing;

use kintsugi::{
    codes::ReportRef,
    services::{
        accounts::{self, Password, Role},
        guidelines::{self, ChangeNote, IMPORT_AUTHOR, SectionRef},
    },
};
use kintsugi_tests::{Staff, TestApp};
use serde_json::json;

use crate::{
    moderation::moderate,
    support::{published, text},
};

/// A small guideline, as a file would hold it.
pub(super) const EMAIL: &str = "# Email {#email}

Owner: Head of communications

How we write to many people at once.

## Use BCC for external lists

Put external recipients in **BCC**.

- Use the mailing tool for large lists.

## Reply to the sender, not to all

Choose *Reply* unless everyone needs the answer.
";

/// The guideline above, imported as revision 1.
pub(crate) async fn email_guideline(app: &TestApp) -> anyhow::Result<()> {
    let note = ChangeNote::because("First recorded.");
    guidelines::import_markdown(&app.state.db, IMPORT_AUTHOR, EMAIL, None, &note).await?;
    Ok(())
}

/// A published lesson linked to the BCC section; its ref.
pub(super) async fn bcc_lesson(app: &TestApp, title: &str) -> anyhow::Result<String> {
    let lesson = published(
        app,
        &json!({"title": title, "narrative": "The newsletter went out with every address visible.", "channel": "email"}),
    )
    .await?;
    let moderator = accounts::add(
        &app.state.db,
        "command line",
        &format!("mo.{}", lesson.to_lowercase()),
        Role::Moderator,
        "a long moderator password",
        Password::Chosen,
    )
    .await?;
    let section = SectionRef::parse("section", "email#use-bcc-for-external-lists")?;
    let lesson_ref = ReportRef::of_stored(&lesson)?;
    guidelines::link(&app.state.db, &moderator, &lesson_ref, &[section]).await?;
    Ok(lesson)
}

/// The page at `path`, as `cookie`'s holder (or anyone) sees it, with its status.
pub(super) async fn page(
    app: &TestApp,
    path: &str,
    cookie: Option<&str>,
) -> anyhow::Result<(u16, String)> {
    let mut request = app.client.get(path);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await;
    let status = response.0.status().as_u16();
    Ok((status, text(response).await?))
}

pub(super) const BCC: &str = "/guidelines/email/sections/use-bcc-for-external-lists";

/// Posts a form as `staff`; the status, the `Location` header and the page.
pub(super) async fn send(
    app: &TestApp,
    staff: &Staff,
    path: &str,
    form: &[(&str, &str)],
) -> anyhow::Result<(u16, String, String)> {
    let response = moderate(app, staff, path, form).await;
    let status = response.0.status().as_u16();
    let location = response
        .0
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    Ok((status, location, text(response).await?))
}
