//! Blameless-language hints: gentle, specific notes for the person writing a report.

use std::collections::HashMap;

use serde::Serialize;

use super::redaction::Redaction;
use super::rules::{HintRule, Matcher};

/// What a hint is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HintKind {
    /// Wording that looks for someone to blame instead of at what happened.
    Blame,
    /// A detail that would identify someone; a moderator removes it anyway.
    Identifying,
}

impl HintKind {
    pub fn slug(self) -> &'static str {
        match self {
            Self::Blame => "blame",
            Self::Identifying => "identifying",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        match slug {
            "blame" => Some(Self::Blame),
            "identifying" => Some(Self::Identifying),
            _ => None,
        }
    }
}

/// One passage of the text that a rule noticed, with what to say about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Hint {
    /// The id of the rule in the rule file.
    pub rule: String,
    pub kind: HintKind,
    /// Byte offsets into the checked text, on char boundaries.
    pub start: usize,
    pub end: usize,
    /// The passage itself, `text[start..end]`.
    pub excerpt: String,
    pub explanation: String,
    pub reframing: String,
}

/// Runs every rule over `text`; `detected` are the redactions found in the same text, which
/// rules with `detects` reuse.
pub(super) fn find(rules: &[HintRule], text: &str, detected: &[Redaction]) -> Vec<Hint> {
    let mut hints = Vec::new();
    for rule in rules {
        let hint = |start: usize, end: usize| Hint {
            rule: rule.id.clone(),
            kind: rule.kind,
            start,
            end,
            excerpt: text[start..end].to_owned(),
            explanation: rule.explanation.clone(),
            reframing: rule.reframing.clone(),
        };
        match &rule.matcher {
            Matcher::Text { find, except } => {
                // "no-blame" and "a fault in the template" are the language we want to see.
                let excepted: Vec<_> = except
                    .iter()
                    .flat_map(|e| e.find_iter(text))
                    .map(|m| m.range())
                    .collect();
                hints.extend(
                    find.find_iter(text)
                        .filter(|m| !m.is_empty())
                        .filter(|m| {
                            !excepted
                                .iter()
                                .any(|e| e.start <= m.start() && m.end() <= e.end)
                        })
                        .map(|m| hint(m.start(), m.end())),
                );
            }
            Matcher::Detector(kind) => hints.extend(
                detected
                    .iter()
                    .filter(|r| r.kind == *kind)
                    .map(|r| hint(r.start, r.end)),
            ),
        }
    }
    hints.sort_by(|a, b| {
        (a.start.cmp(&b.start))
            .then(b.end.cmp(&a.end))
            .then_with(|| a.rule.cmp(&b.rule))
    });
    // Two phrases of one rule can overlap ("fault", "his fault"): the first, longest one stays.
    let mut reach: HashMap<String, usize> = HashMap::new();
    hints.retain(|hint| {
        let end = reach.entry(hint.rule.clone()).or_insert(0);
        let keep = hint.start >= *end;
        if keep {
            *end = hint.end;
        }
        keep
    });
    hints
}

#[cfg(test)]
mod tests {
    use crate::text_checks::{HintKind, TextRules};

    /// Runs the default rules and returns (rule, excerpt) pairs of one kind.
    fn found(text: &str, kind: HintKind) -> Vec<(String, String)> {
        TextRules::defaults()
            .hints(text)
            .into_iter()
            .filter(|h| h.kind == kind)
            .map(|h| (h.rule, h.excerpt))
            .collect()
    }

    #[test]
    fn blame_framings_are_noticed() {
        let cases = [
            (
                "It was human error, plain and simple.",
                "human_error",
                "human error",
            ),
            (
                "Human errors happen in every team.",
                "human_error",
                "Human errors",
            ),
            (
                "She was careless with the distribution list.",
                "careless",
                "careless",
            ),
            (
                "He carelessly pasted the draft into the post.",
                "careless",
                "carelessly",
            ),
            (
                "I should have known the list included journalists.",
                "should_have",
                "should have known",
            ),
            (
                "They should have checked the embargo time.",
                "should_have",
                "should have checked",
            ),
            (
                "The team should have\nconfirmed the audience.",
                "should_have",
                "should have\nconfirmed",
            ),
            (
                "He should’ve waited for sign-off.",
                "should_have",
                "should’ve",
            ),
            (
                "The officer failed to check the recipients.",
                "failed_to",
                "failed to",
            ),
            ("Honestly, it was his fault.", "fault", "his fault"),
            ("The review asked where the FAULT lay.", "fault", "FAULT"),
            (
                "The review found negligence in the press office.",
                "negligent",
                "negligence",
            ),
            ("What a stupid mistake to make.", "stupid", "stupid"),
            (
                "The agency looked incompetent on the evening news.",
                "incompetent",
                "incompetent",
            ),
            ("A lazy reply to a worried resident.", "lazy", "lazy"),
            ("Nobody wants to blame the intern.", "blame", "to blame"),
            ("The intern was blamed for it.", "blame", "blamed"),
            (
                "She didn’t bother to read the thread.",
                "didnt_bother",
                "didn’t bother",
            ),
            ("Obviously the tweet was wrong.", "obviously", "Obviously"),
            ("He just had to press cancel.", "just_had_to", "just had to"),
            (
                "All she had to do was check the list.",
                "just_had_to",
                "All she had to do",
            ),
            (
                "It went out because Jane forgot to remove the list.",
                "named_cause",
                "because Jane forgot",
            ),
            (
                "because Zoë Müller sent it early",
                "named_cause",
                "because Zoë Müller sent",
            ),
            (
                "In the end it was Tom's mistake.",
                "named_cause",
                "Tom's mistake",
            ),
            (
                "It was Priya who posted it.",
                "named_cause",
                "It was Priya who",
            ),
        ];
        for (text, rule, excerpt) in cases {
            let hints = found(text, HintKind::Blame);
            assert!(
                hints.contains(&(rule.to_owned(), excerpt.to_owned())),
                "expected `{rule}` on {excerpt:?} in {text:?}, got {hints:?}"
            );
        }
    }

    #[test]
    fn ordinary_words_are_left_alone() {
        let texts = [
            "The faulty template sent the message twice.",
            "The default setting of the mail client was reply-all.",
            "I just want to add that the team handled it well.",
            "The figures were just published a day early.",
            "We ran a blameless review with the whole team.",
            "In a no-blame spirit, we looked at the blame culture we inherited.",
            "There was a fault in the mail-merge template; a no-fault review followed.",
            "It went out because the template was confusing.",
            "It went out because I forgot to check the time zone.",
            "We should have a second reader for embargoed figures.",
            "Careful checks take time that nobody had.",
            "The form should have no free-text field for names.",
        ];
        for text in texts {
            assert_eq!(found(text, HintKind::Blame), [], "in {text:?}");
        }
    }

    #[test]
    fn identifying_details_are_noticed() {
        let text = "Mail jane.doe@council.example.org, call 020 7946 0958 or ask @jane_doe; \
                    staff number 48213 was on the form, and Dr Okafor signed it.";
        let rules: Vec<String> = found(text, HintKind::Identifying)
            .into_iter()
            .map(|(rule, _)| rule)
            .collect();
        assert_eq!(
            rules,
            [
                "email_address",
                "phone_number",
                "handle",
                "staff_number",
                "person_name"
            ]
        );
    }

    #[test]
    fn hints_are_sorted_and_carry_their_words() {
        let text = "Obviously it was human error: he failed to look, it was his fault.";
        let hints = TextRules::defaults().hints(text);
        let starts: Vec<usize> = hints.iter().map(|h| h.start).collect();
        assert!(starts.is_sorted(), "{starts:?}");
        assert_eq!(hints.len(), 4, "{hints:?}");
        for hint in &hints {
            assert_eq!(text.get(hint.start..hint.end), Some(hint.excerpt.as_str()));
            assert!(!hint.explanation.is_empty() && !hint.reframing.is_empty());
        }
        let human = hints.iter().find(|h| h.rule == "human_error");
        assert_eq!(
            human.map(|h| h.reframing.as_str()),
            Some("What made this the sensible thing to do at the time?")
        );
    }
}
