//! What policy owners send to change a guideline, and what a change answers.

use poem_openapi::Object;
use serde::Deserialize;

use super::bodies::{GuidelineBody, number};
use crate::services::guidelines::{ChangeNote, GuidelineView, Outcome};

// Every change carries the same three fields — `rationale`, `effective_from`, `evidence` —
// written out in each request rather than flattened, so that unknown fields are still refused.
macro_rules! change_note_fields {
    ($(#[$meta:meta])* pub struct $name:ident { $($body:tt)* }) => {
        $(#[$meta])*
        #[derive(Debug, Object, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($body)*
            /// Why the guideline changes: required, not blank, at most 5,000 characters.
            #[oai(validator(max_length = 5000, pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*[^\x00-\x20\x7F-\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"))]
            pub rationale: String,
            /// `YYYY-MM-DD`; the day of the change when absent. May be in the past or the
            /// future.
            #[oai(validator(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
            pub effective_from: Option<String>,
            /// Refs of the published lessons that led to the change; at most 50.
            #[oai(default, validator(max_items = 50))]
            #[serde(default)]
            pub evidence: Vec<String>,
        }

        impl $name {
            pub fn note(&self) -> ChangeNote {
                ChangeNote {
                    rationale: self.rationale.clone(),
                    effective_from: self.effective_from.clone(),
                    evidence: self.evidence.clone(),
                }
            }
        }
    };
}

change_note_fields! {
    /// A new guideline. Sections are added afterwards, one revision each, with
    /// `PUT /v1/guidelines/{slug}/sections/{anchor}`.
    pub struct NewGuidelineRequest {
        /// Lower-case letters and digits joined by dashes; made from the title when absent.
        #[oai(validator(max_length = 80, pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$"))]
        pub slug: Option<String>,
        /// One line, not blank, at most 200 characters.
        #[oai(validator(max_length = 200, pattern = r"^[^\x00-\x1F\x7F-\x9F]*[^\x00-\x20\x7F-\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\x00-\x1F\x7F-\x9F]*$"))]
        pub title: String,
        /// At most 2,000 characters.
        #[oai(default, validator(max_length = 2000, pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"))]
        #[serde(default)]
        pub summary: String,
        /// Who in the organisation answers for it, in words; at most 100 characters.
        #[oai(default, validator(max_length = 100, pattern = r"^[^\x00-\x1F\x7F-\x9F]*$"))]
        #[serde(default)]
        pub owner_role: String,
    }
}

change_note_fields! {
    /// A section's new text. For an anchor the guideline does not hold yet, a section is
    /// added at the end and `heading` is required; otherwise `heading` is optional and kept
    /// when absent.
    pub struct SectionRequest {
        /// One line, not blank, at most 200 characters.
        #[oai(validator(max_length = 200, pattern = r"^[^\x00-\x1F\x7F-\x9F]*[^\x00-\x20\x7F-\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\x00-\x1F\x7F-\x9F]*$"))]
        pub heading: Option<String>,
        /// Markdown, at most 64 KiB: no raw HTML, links only to http, https, mailto and tel,
        /// and headings from `###` down.
        #[oai(validator(max_length = 65536))]
        pub markdown: String,
    }
}

change_note_fields! {
    /// Where to move a section.
    pub struct MoveRequest {
        /// The new place among the sections in force, from 1.
        #[oai(validator(minimum(value = "1")))]
        pub position: u32,
    }
}

change_note_fields! {
    /// Retiring a section.
    pub struct RetireRequest {
        /// The anchor of the section in force that replaces this one, if any.
        #[oai(validator(max_length = 80, pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$"))]
        pub replaced_by: Option<String>,
    }
}

/// What a change did, and the guideline after it.
#[derive(Debug, Object)]
pub struct ChangeBody {
    /// The guideline's latest revision: the one made, or the current one when nothing changed.
    pub revision: u32,
    /// Whether a revision was made; sending the same text again makes none.
    pub changed: bool,
    pub guideline: GuidelineBody,
}

impl ChangeBody {
    pub fn new(outcome: &Outcome, guideline: GuidelineView) -> Self {
        Self {
            revision: number(outcome.revision),
            changed: outcome.changed,
            guideline: guideline.into(),
        }
    }
}
