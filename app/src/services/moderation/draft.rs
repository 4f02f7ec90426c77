//! The published version of a report as a moderator edits it, and the reporter's say on it.

use entities::{publication, report};
use serde::Serialize;

use crate::{
    error::{AppError, FieldError, Result},
    services::reports::MAX_TITLE,
};

/// The four texts of a report that readers see once published.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Draft {
    pub title: String,
    pub narrative: String,
    pub what_helped: String,
    pub lesson: String,
}

/// Which of the four texts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TextField {
    Title,
    Narrative,
    WhatHelped,
    Lesson,
}

impl TextField {
    pub const ALL: [TextField; 4] = [Self::Title, Self::Narrative, Self::WhatHelped, Self::Lesson];

    pub fn slug(self) -> &'static str {
        match self {
            Self::Title => "title",
            Self::Narrative => "narrative",
            Self::WhatHelped => "what_helped",
            Self::Lesson => "lesson",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Title => "Title",
            Self::Narrative => "What happened",
            Self::WhatHelped => "What helped",
            Self::Lesson => "What would help",
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
        }
    }

    pub fn from_publication(publication: &publication::Model) -> Self {
        Self {
            title: publication.title.clone(),
            narrative: publication.narrative.clone(),
            what_helped: publication.what_helped.clone(),
            lesson: publication.lesson.clone(),
        }
    }

    pub fn get(&self, field: TextField) -> &str {
        match field {
            TextField::Title => &self.title,
            TextField::Narrative => &self.narrative,
            TextField::WhatHelped => &self.what_helped,
            TextField::Lesson => &self.lesson,
        }
    }

    pub fn set(&mut self, field: TextField, text: String) {
        match field {
            TextField::Title => self.title = text,
            TextField::Narrative => self.narrative = text,
            TextField::WhatHelped => self.what_helped = text,
            TextField::Lesson => self.lesson = text,
        }
    }

    /// Trims each text and checks what a published lesson needs: a title and a narrative.
    pub fn validated(mut self) -> Result<Self> {
        for field in TextField::ALL {
            let text = self.get(field).trim().replace("\r\n", "\n");
            self.set(field, text);
        }
        let mut errors = Vec::new();
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

/// Where the reporter stands on the published version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, poem_openapi::Enum)]
#[serde(rename_all = "snake_case")]
#[oai(rename_all = "snake_case")]
pub enum ReporterReview {
    /// Not offered to the reporter (yet), or imported without a reporter.
    NotAsked,
    /// Offered through the receipt; the reporter has not answered.
    Pending,
    Approved,
    ChangesRequested,
}

impl ReporterReview {
    pub fn slug(self) -> &'static str {
        match self {
            Self::NotAsked => "not_asked",
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::ChangesRequested => "changes_requested",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::NotAsked => "Not yet offered to the reporter",
            Self::Pending => "Waiting for the reporter",
            Self::Approved => "Approved by the reporter",
            Self::ChangesRequested => "The reporter asked for a change",
        }
    }

    pub fn from_slug(slug: &str) -> Self {
        match slug {
            "pending" => Self::Pending,
            "approved" => Self::Approved,
            "changes_requested" => Self::ChangesRequested,
            _ => Self::NotAsked,
        }
    }
}
