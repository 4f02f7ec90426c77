//! The thesaurus file: groups of words in TOML, checked with errors that name the line.

use std::path::{Path, PathBuf};

use search::Thesaurus;
use serde::Deserialize;

/// The thesaurus shipped with Kintsugi, built into the binary.
const DEFAULT: &str = include_str!("../../rules/thesaurus.toml");

/// A thesaurus file that cannot be used, with the line at fault and the reason.
#[derive(Debug, thiserror::Error)]
pub enum ThesaurusFileError {
    #[error("cannot read the thesaurus file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the thesaurus file is not valid: {0}")]
    Syntax(#[from] toml::de::Error),
    #[error("the thesaurus file, line {line}: {reason}")]
    Group { line: usize, reason: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    groups: Vec<toml::Spanned<Vec<String>>>,
}

/// Groups of words and phrases that mean the same thing, checked as a [`Thesaurus`] reads
/// them.
pub type Groups = Vec<Vec<String>>;

/// The thesaurus shipped with Kintsugi.
pub fn defaults() -> Result<Groups, ThesaurusFileError> {
    parse(DEFAULT)
}

/// Reads a thesaurus file that replaces the shipped one.
pub fn load(path: &Path) -> Result<Groups, ThesaurusFileError> {
    let source = std::fs::read_to_string(path).map_err(|source| ThesaurusFileError::Read {
        path: path.to_owned(),
        source,
    })?;
    parse(&source)
}

/// Reads the text of a thesaurus file.
pub fn parse(source: &str) -> Result<Groups, ThesaurusFileError> {
    let file: File = toml::from_str(source)?;
    let lines: Vec<usize> = file
        .groups
        .iter()
        .map(|group| line_of(source, group.span().start))
        .collect();
    let groups: Groups = file.groups.into_iter().map(|g| g.into_inner()).collect();
    match Thesaurus::new(&groups) {
        Ok(_) => Ok(groups),
        Err(error) => Err(ThesaurusFileError::Group {
            line: lines.get(error.group).copied().unwrap_or(0),
            reason: error.reason,
        }),
    }
}

/// The line (from 1) on which a byte offset of `source` falls.
fn line_of(source: &str, offset: usize) -> usize {
    source
        .get(..offset)
        .map_or(0, |before| before.matches('\n').count())
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(source: &str) -> String {
        match parse(source) {
            Ok(_) => "accepted".to_owned(),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn the_shipped_thesaurus_is_valid_and_large_enough() -> Result<(), ThesaurusFileError> {
        assert!(defaults()?.len() >= 60);
        Ok(())
    }

    #[test]
    fn a_group_of_one_word_is_named_by_its_line() {
        let source = "groups = [\n  [\"bcc\", \"blind copy\"],\n  [\"lonely\"],\n]\n";
        assert_eq!(
            error_of(source),
            "the thesaurus file, line 3: a group needs at least two different words or phrases"
        );
    }

    #[test]
    fn a_word_in_two_groups_is_named_by_its_line() {
        let source = "groups = [\n  [\"bcc\", \"blind copy\"],\n\n  [\"cc\", \"carbon copy\", \"BCC\"],\n]\n";
        let error = error_of(source);
        assert!(
            error.starts_with("the thesaurus file, line 4: \"BCC\" is already in group 1"),
            "{error}"
        );
    }

    #[test]
    fn a_huge_group_is_refused() {
        let words: Vec<String> = (0..10_000).map(|n| format!("\"word{n}\"")).collect();
        let source = format!(
            "groups = [\n  [\"a\", \"b\"],\n  [{}],\n]\n",
            words.join(", ")
        );
        let error = error_of(&source);
        assert!(
            error.starts_with("the thesaurus file, line 3: a group holds at most 24"),
            "{error}"
        );
    }

    #[test]
    fn broken_toml_is_named_by_its_line() {
        let error = error_of("groups = [\n  [\"bcc\", \"blind copy\"\n");
        assert!(error.contains("line"), "{error}");
        let unknown = error_of("groups = []\nwords = []\n");
        assert!(unknown.contains("unknown field"), "{unknown}");
    }
}
