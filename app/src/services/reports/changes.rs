//! What a moderator changed in the reporter's words, word by word, for the reporter to check.

use std::time::Duration;

use similar::{ChangeTag, TextDiff};

use crate::services::moderation::{Draft, TextField};

/// Beyond this a long text's differences are found more coarsely rather than keep the page.
const DIFF_TIME: Duration = Duration::from_millis(200);

/// Whether a piece of text is in both versions, or only in one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Same,
    Added,
    Removed,
}

/// A run of text with one mark.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    pub mark: Mark,
    pub text: String,
}

/// One text of the report: the offered version with what it adds and leaves out marked.
#[derive(Clone, Debug)]
pub struct FieldChanges {
    pub field: TextField,
    pub pieces: Vec<Piece>,
}

impl FieldChanges {
    pub fn changed(&self) -> bool {
        self.pieces.iter().any(|p| p.mark != Mark::Same)
    }
}

/// The offered version of each text that either version has, against the reporter's own.
pub fn changes(own: &Draft, offered: &Draft) -> Vec<FieldChanges> {
    TextField::ALL
        .into_iter()
        .filter(|&field| !own.get(field).is_empty() || !offered.get(field).is_empty())
        .map(|field| {
            let (old, new) = (own.get(field), offered.get(field));
            let pieces = match field {
                TextField::Tags => tag_changes(old, new),
                _ => word_changes(old, new),
            };
            FieldChanges { field, pieces }
        })
        .collect()
}

/// The runs as one plain text, with `[+added]` and `[-removed]` marked in words rather than
/// colour: for a terminal, a plain-text mail, or a test.
pub fn with_markers(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|p| match p.mark {
            Mark::Same => p.text.clone(),
            Mark::Added => format!("[+{}]", p.text),
            Mark::Removed => format!("[-{}]", p.text),
        })
        .collect()
}

/// Word by word. The spaces between two changed words belong to the change, so that a
/// name replaced reads "[-Jo Bloggs][+A colleague]" rather than word against word. Guideline
/// revisions are compared the same way.
pub fn word_changes(old: &str, new: &str) -> Vec<Piece> {
    let diff = TextDiff::configure()
        .timeout(DIFF_TIME)
        .diff_words(old, new);
    let mut pieces: Vec<Piece> = Vec::new();
    // The change being gathered: what it takes out, what it puts in, and the spaces seen
    // since its last word, which join it only if another changed word follows.
    let (mut removed, mut added, mut spaces) = (String::new(), String::new(), String::new());
    for change in diff.iter_all_changes() {
        let text = change.value();
        let open = !removed.is_empty() || !added.is_empty();
        match change.tag() {
            ChangeTag::Equal if open && text.trim().is_empty() => spaces.push_str(text),
            ChangeTag::Equal => {
                flush(&mut pieces, &mut removed, &mut added);
                push(&mut pieces, Mark::Same, &std::mem::take(&mut spaces));
                push(&mut pieces, Mark::Same, text);
            }
            tag => {
                removed.push_str(&spaces);
                added.push_str(&spaces);
                spaces.clear();
                let side = if tag == ChangeTag::Insert {
                    &mut added
                } else {
                    &mut removed
                };
                side.push_str(text);
            }
        }
    }
    flush(&mut pieces, &mut removed, &mut added);
    push(&mut pieces, Mark::Same, &spaces);
    pieces
}

/// Ends the change being gathered: what it takes out, then what it puts in.
fn flush(pieces: &mut Vec<Piece>, removed: &mut String, added: &mut String) {
    push(pieces, Mark::Removed, &std::mem::take(removed));
    push(pieces, Mark::Added, &std::mem::take(added));
}

/// Tags are a set: the offered ones in their order, each kept or added, then those left out.
fn tag_changes(old: &str, new: &str) -> Vec<Piece> {
    let (old, new): (Vec<&str>, Vec<&str>) = (
        old.split_whitespace().collect(),
        new.split_whitespace().collect(),
    );
    let kept_or_added = new.iter().map(|tag| {
        (
            if old.contains(tag) {
                Mark::Same
            } else {
                Mark::Added
            },
            *tag,
        )
    });
    let removed = old
        .iter()
        .filter(|tag| !new.contains(tag))
        .map(|tag| (Mark::Removed, *tag));
    let mut pieces = Vec::new();
    for (at, (mark, tag)) in kept_or_added.chain(removed).enumerate() {
        if at > 0 {
            push(&mut pieces, Mark::Same, ", ");
        }
        push(&mut pieces, mark, tag);
    }
    pieces
}

fn push(pieces: &mut Vec<Piece>, mark: Mark, text: &str) {
    if text.is_empty() {
        return;
    }
    match pieces.last_mut() {
        Some(last) if last.mark == mark => last.text.push_str(text),
        _ => pieces.push(Piece {
            mark,
            text: text.to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_taken_out_and_put_in_are_marked() {
        let pieces = word_changes(
            "Jo Bloggs sent it to the press list.",
            "A colleague sent it to the press list.",
        );
        assert_eq!(
            with_markers(&pieces),
            "[-Jo Bloggs][+A colleague] sent it to the press list."
        );
    }

    #[test]
    fn each_version_reads_back_whole_from_the_pieces() {
        for (old, new) in [
            ("a b c", "a x c"),
            (
                "Jo called.\n\nThen it went out.",
                "Someone called.\n\nIt went out.",
            ),
            ("one two", " two three "),
            ("", "all new"),
            ("all gone", ""),
        ] {
            let pieces = word_changes(old, new);
            let side = |left_out: Mark| -> String {
                pieces
                    .iter()
                    .filter(|p| p.mark != left_out)
                    .map(|p| p.text.as_str())
                    .collect()
            };
            assert_eq!(side(Mark::Added), old);
            assert_eq!(side(Mark::Removed), new);
        }
    }

    #[test]
    fn tags_are_compared_as_a_set() {
        let pieces = tag_changes("reply-all jo-bloggs", "embargo reply-all");
        assert_eq!(with_markers(&pieces), "[+embargo], reply-all, [-jo-bloggs]");
    }

    #[test]
    fn only_texts_that_either_version_has_are_listed() {
        let own = Draft {
            title: "Sent early".to_owned(),
            narrative: "It went out.".to_owned(),
            ..Draft::default()
        };
        let offered = Draft {
            lesson: "Check the schedule.".to_owned(),
            ..own.clone()
        };
        let fields = changes(&own, &offered);
        let listed: Vec<TextField> = fields.iter().map(|f| f.field).collect();
        assert_eq!(
            listed,
            [TextField::Title, TextField::Narrative, TextField::Lesson]
        );
        assert!(!fields[0].changed() && fields[2].changed());
    }
}
