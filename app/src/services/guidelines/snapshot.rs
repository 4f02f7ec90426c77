//! A guideline as it stood after one revision, stored with the revision as JSON.
//!
//! Keeping the whole guideline with each revision costs a few kilobytes and makes every
//! revision readable and any two comparable on their own, without replaying history.

use serde::{Deserialize, Serialize};

use crate::error::{AppError, Result};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub title: String,
    pub summary: String,
    pub owner_role: String,
    /// Every section in order, retired ones included.
    pub sections: Vec<SnapshotSection>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotSection {
    pub anchor: String,
    pub heading: String,
    pub markdown: String,
    /// `YYYY-MM-DD`, once retired.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<String>,
}

impl SnapshotSection {
    pub fn is_current(&self) -> bool {
        self.retired_on.is_none()
    }
}

impl Snapshot {
    /// The sections in force, in order.
    pub fn current(&self) -> impl Iterator<Item = &SnapshotSection> {
        self.sections.iter().filter(|s| s.is_current())
    }

    pub fn section(&self, anchor: &str) -> Option<&SnapshotSection> {
        self.sections.iter().find(|s| s.anchor == anchor)
    }

    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|e| AppError::Internal(format!("snapshot: {e}")))
    }

    pub fn from_json(json: &str) -> Result<Self> {
        serde_json::from_str(json)
            .map_err(|e| AppError::Internal(format!("stored snapshot unreadable: {e}")))
    }
}
