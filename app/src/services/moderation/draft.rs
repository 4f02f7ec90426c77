//! The published version of a report as a moderator edits it, and the reporter's say on it.

use entities::{publication, report};
use serde::Serialize;

use crate::{
    error::{AppError, FieldError, Result},
    services::reports::{MAX_TITLE, normalise_tags, split_tags},
    vocabulary::vocabulary,
};

/// The texts of a report that readers see once published: four texts and the tags.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Draft {
    pub title: String,
    pub narrative: String,
    pub what_helped: String,
    pub lesson: String,
    /// Normalised tags separated by single spaces.
    pub tags: String,
}

/// Which of the texts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TextField {
    Title,
    Narrative,
    WhatHelped,
    Lesson,
    Tags,
}

impl TextField {
    pub const ALL: [TextField; 5] = [
        Self::Title,
        Self::Narrative,
        Self::WhatHelped,
        Self::Lesson,
        Self::Tags,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Self::Title => "title",
            Self::Narrative => "narrative",
            Self::WhatHelped => "what_helped",
            Self::Lesson => "lesson",
            Self::Tags => "tags",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Title => "Title",
            Self::Narrative => "What happened",
            Self::WhatHelped => "What helped",
            Self::Lesson => "What would help",
            Self::Tags => "Tags",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.slug() == slug)
    }
}

impl Draft {
    pub fn from_raw(report: &report::Model) -> Self {
        Self {
            title: report.title.clone(),
            narrative: report.narrative.clone(),
            what_helped: report.what_helped.clone(),
            lesson: report.lesson.clone(),
            tags: report.tags.clone(),
        }
    }

    pub fn from_publication(publication: &publication::Model) -> Self {
        Self {
            title: publication.title.clone(),
            narrative: publication.narrative.clone(),
            what_helped: publication.what_helped.clone(),
            lesson: publication.lesson.clone(),
            tags: publication.tags.clone(),
        }
    }

    /// A short fingerprint of the four texts, so that an approval can name the version it
    /// approves: a version that changed since the reporter read it is not approved by them.
    pub fn version(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut hasher = Sha256::new();
        for field in TextField::ALL {
            hasher.update(self.get(field).as_bytes());
            hasher.update([0]);
        }
        crate::codes::hex(&hasher.finalize()[..8])
    }

    /// The version as it stands: the saved one, or else the reporter's words to start from.
    pub fn current(report: &report::Model, publication: Option<&publication::Model>) -> Self {
        publication.map_or_else(|| Self::from_raw(report), Self::from_publication)
    }

    pub fn get(&self, field: TextField) -> &str {
        match field {
            TextField::Title => &self.title,
            TextField::Narrative => &self.narrative,
            TextField::WhatHelped => &self.what_helped,
            TextField::Lesson => &self.lesson,
            TextField::Tags => &self.tags,
        }
    }

    pub fn set(&mut self, field: TextField, text: String) {
        match field {
            TextField::Title => self.title = text,
            TextField::Narrative => self.narrative = text,
            TextField::WhatHelped => self.what_helped = text,
            TextField::Lesson => self.lesson = text,
            TextField::Tags => self.tags = text,
        }
    }

    /// Trims each text and checks what a published lesson needs: a title and a narrative.
    pub fn validated(mut self) -> Result<Self> {
        for field in TextField::ALL {
            let text = self.get(field).trim().replace("\r\n", "\n");
            self.set(field, text);
        }
        let mut errors = Vec::new();
        match normalise_tags(&split_tags(&self.tags)) {
            Ok(tags) => self.tags = tags.join(" "),
            Err(reason) => errors.push(FieldError::new("tags", reason)),
        }
        if self.title.is_empty() {
            errors.push(FieldError::new("title", "is required"));
        }
        let title_length = self.title.chars().count();
        if title_length > MAX_TITLE {
            errors.push(FieldError::new(
                "title",
                format!("is {title_length} characters long; the limit is {MAX_TITLE}"),
            ));
        }
        if self.narrative.is_empty() {
            errors.push(FieldError::new("narrative", "is required"));
        }
        for field in TextField::ALL {
            if self
                .get(field)
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t')
            {
                errors.push(FieldError::new(field.slug(), "contains control characters"));
            }
        }
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(AppError::Invalid(errors))
        }
    }
}

vocabulary! {
    /// Where the reporter stands on the published version.
    ReporterReview {
        // Not offered (yet), or imported without a reporter.
        NotAsked => ("not_asked", "Not yet offered to the reporter"),
        // Offered through the receipt; the reporter has not answered.
        Pending => ("pending", "Waiting for the reporter"),
        Approved => ("approved", "Approved by the reporter"),
        ChangesRequested => ("changes_requested", "The reporter asked for a change"),
    }
}

impl ReporterReview {
    /// The same, as the reporter reads it on their receipt page.
    pub fn label_for_reporter(self) -> &'static str {
        match self {
            Self::NotAsked => "Not yet offered to you",
            Self::Pending => "Waiting for your answer",
            Self::Approved => "You approved this version",
            Self::ChangesRequested => {
                "You asked for a change: a moderator will offer a new version"
            }
        }
    }

    /// Where the reporter stands on a report's published version, if it has one.
    pub fn of(publication: Option<&publication::Model>) -> Self {
        publication.map_or(Self::NotAsked, |p| Self::stored(&p.reporter_review))
    }

    /// As stored: a value this version does not know counts as not asked.
    pub fn stored(slug: &str) -> Self {
        Self::from_slug(slug).unwrap_or(Self::NotAsked)
    }
}
