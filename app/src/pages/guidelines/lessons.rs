//! A lesson's guidance: on the lesson page, the sections that apply to it, and for
//! moderators the form that links the lesson to sections or unlinks it.

use poem::{
    Body, handler,
    http::StatusCode,
    web::{Data, Path},
};
use serde::{Deserialize, Serialize};

use super::view::day;
use crate::{
    auth::access::SignedIn,
    codes::ReportRef,
    error::{AppError, Result},
    pages::{read_form, reports::lesson_page},
    services::{
        accounts::{Account, Role},
        guidelines::{self, SectionRef},
    },
    state::AppState,
};

/// A section that applies to the lesson.
#[derive(Serialize)]
struct Applies {
    /// `guideline#anchor`, as the unlink form sends it.
    section: String,
    href: String,
    guideline_title: String,
    heading: String,
    retired_on: Option<String>,
}

#[derive(Serialize)]
struct SectionChoice {
    value: String,
    heading: String,
}

#[derive(Serialize)]
struct GuidelineChoices {
    title: String,
    sections: Vec<SectionChoice>,
}

/// "The guidance that applies" on a lesson page.
#[derive(Serialize)]
pub struct GuidancePanel {
    applies: Vec<Applies>,
    /// Moderators link and unlink.
    can_link: bool,
    /// The sections in force to link to, by guideline; only for moderators.
    choices: Vec<GuidelineChoices>,
}

/// The guidance of a published lesson, with what `viewer` may do about it.
pub async fn panel(
    state: &AppState,
    lesson: &ReportRef,
    viewer: Option<&Account>,
) -> Result<GuidancePanel> {
    let applies = guidelines::guidance_of(&state.db, lesson)
        .await?
        .into_iter()
        .map(|g| Applies {
            section: format!("{}#{}", g.guideline, g.anchor),
            href: format!("/guidelines/{}#{}", g.guideline, g.anchor),
            guideline_title: g.guideline_title,
            heading: g.heading,
            retired_on: g.retired_on.map(day),
        })
        .collect::<Vec<_>>();
    let can_link = viewer.is_some_and(|a| a.can(Role::Moderator));
    let mut choices = Vec::new();
    if can_link {
        for summary in guidelines::list(&state.db).await? {
            let guideline = guidelines::get(&state.db, &summary.slug).await?;
            let sections = guideline
                .sections
                .into_iter()
                .map(|s| SectionChoice {
                    value: format!("{}#{}", guideline.slug, s.anchor),
                    heading: s.heading,
                })
                .filter(|c| !applies.iter().any(|a| a.section == c.value))
                .collect();
            choices.push(GuidelineChoices {
                title: guideline.title,
                sections,
            });
        }
    }
    Ok(GuidancePanel {
        applies,
        can_link,
        choices,
    })
}

/// A moderator's link or unlink, as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LinkForm {
    /// `guideline#anchor`.
    section: String,
    /// `link` or `unlink`.
    action: String,
}

#[handler]
pub async fn link(
    Data(state): Data<&AppState>,
    SignedIn(actor): SignedIn,
    Path(report_ref): Path<String>,
    body: Body,
) -> crate::pages::PageResult {
    let lesson: ReportRef = report_ref.parse()?;
    let form = read_form::<LinkForm>(body).await?;
    let section = SectionRef::parse("section", &form.section)?;
    let notice = match form.action.as_str() {
        "unlink" => {
            if guidelines::unlink(&state.db, &actor, &lesson, &section).await? {
                "The lesson is no longer linked to that section."
            } else {
                "The lesson was not linked to that section."
            }
        }
        "link" | "" => {
            let added = guidelines::link(&state.db, &actor, &lesson, &[section]).await?;
            if added > 0 {
                "Linked: the section now lists this lesson under “Why this rule exists”."
            } else {
                "The lesson was already linked to that section."
            }
        }
        _ => return Err(AppError::invalid("action", "must be link or unlink")),
    };
    lesson_page(state, &lesson, Some(notice.to_owned()), StatusCode::OK).await
}
