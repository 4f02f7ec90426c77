//! Checks on free text: blameless-language hints for writers and suggested redactions for
//! moderators. The rules are data (`app/rules/text-checks.toml`), not code, and so is the list
//! of personal names (`app/rules/names.txt`) behind the search for names nobody listed.
//!
//! Both checks are suggestions: nothing here changes a text by itself. A writer sees [`Hint`]s
//! while writing; a moderator accepts some [`Redaction`]s and [`apply`] makes the published text.

mod detect;
mod hints;
mod lexicon;
mod names;
mod redaction;
mod rules;
mod words;

// Kept beside the code they test, in their own files to keep each file short.
#[cfg(test)]
mod detect_tests;
#[cfg(test)]
mod names_tests;
#[cfg(test)]
mod redaction_tests;

use std::path::Path;

pub use hints::{Hint, HintKind};
pub use names::NotNames;
pub use redaction::{Redaction, RedactionKind, apply};
pub use rules::RulesError;

use rules::{HintRule, Matcher, RedactionRules};

/// The rule file shipped in the binary.
const DEFAULT_RULES: &str = include_str!("../../rules/text-checks.toml");

/// Compiled text-check rules. Build once at start-up and share (in an `Arc`): checking is
/// read-only.
#[derive(Clone, Debug)]
pub struct TextRules {
    hint_rules: Vec<HintRule>,
    redaction: RedactionRules,
}

impl TextRules {
    /// The rules shipped in the binary.
    pub fn defaults() -> Self {
        Self::from_toml(DEFAULT_RULES).expect(
            "the embedded rules/text-checks.toml is valid: `embedded_defaults_parse` checks it",
        )
    }

    /// Rules from the text of a rule file; see the header of `app/rules/text-checks.toml`.
    pub fn from_toml(source: &str) -> Result<Self, RulesError> {
        let (hint_rules, redaction) = rules::compile(source)?;
        Ok(Self {
            hint_rules,
            redaction,
        })
    }

    /// Rules from a file that replaces the defaults as a whole.
    pub fn load(path: &Path) -> Result<Self, RulesError> {
        let source = std::fs::read_to_string(path).map_err(|source| RulesError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::from_toml(&source)
    }

    /// Blameless-language and identifying-detail hints for `text`, sorted by start.
    pub fn hints(&self, text: &str) -> Vec<Hint> {
        self.hints_with(text, &NotNames::default())
    }

    /// [`Self::hints`], knowing phrases of this organisation that are not names (its units).
    pub fn hints_with(&self, text: &str, not_names: &NotNames) -> Vec<Hint> {
        let uses_detectors = self
            .hint_rules
            .iter()
            .any(|r| matches!(r.matcher, Matcher::Detector(_)));
        let detected = if uses_detectors {
            self.redactions_with(text, not_names)
        } else {
            Vec::new()
        };
        hints::find(&self.hint_rules, text, &detected)
    }

    /// Suggested redactions of identifying details in `text`, non-overlapping, sorted by start.
    pub fn redactions(&self, text: &str) -> Vec<Redaction> {
        self.redactions_with(text, &NotNames::default())
    }

    /// [`Self::redactions`], knowing phrases of this organisation that are not names.
    pub fn redactions_with(&self, text: &str, not_names: &NotNames) -> Vec<Redaction> {
        redaction::find(&self.redaction, text, not_names)
    }
}

#[cfg(test)]
mod tests {
    use super::{DEFAULT_RULES, RulesError, TextRules};

    #[test]
    fn embedded_defaults_parse() -> Result<(), RulesError> {
        let rules = TextRules::from_toml(DEFAULT_RULES)?;
        let ids: Vec<&str> = rules.hint_rules.iter().map(|r| r.id.as_str()).collect();
        for required in [
            "human_error",
            "careless",
            "should_have",
            "failed_to",
            "fault",
            "negligent",
            "stupid",
            "incompetent",
            "lazy",
            "blame",
            "didnt_bother",
            "obviously",
            "just_had_to",
            "named_cause",
            "email_address",
            "phone_number",
            "handle",
            "personal_link",
            "staff_number",
            "person_name",
        ] {
            assert!(
                ids.contains(&required),
                "the defaults lack rule `{required}`"
            );
        }
        Ok(())
    }

    #[test]
    fn a_custom_file_replaces_the_defaults() -> Result<(), RulesError> {
        let custom = r#"
            [[rule]]
            id = "jargon"
            kind = "blame"
            phrases = ["going forward"]
            explanation = "Plain words travel further."
            reframing = "From now on."

            [redaction]
            names = ["Jane Doe"]
        "#;
        let rules = TextRules::from_toml(custom)?;
        let text = "Going forward, Jane Doe told Sarah human error is careless, staff no. 12345.";
        let hints: Vec<String> = rules.hints(text).into_iter().map(|h| h.rule).collect();
        assert_eq!(hints, ["jargon"]);
        let kinds: Vec<&str> = rules
            .redactions(text)
            .iter()
            .map(|r| r.kind.slug())
            .collect();
        assert_eq!(
            kinds,
            ["name"],
            "the default staff-number patterns and the search for unlisted names (Sarah) are gone too"
        );
        Ok(())
    }

    #[test]
    fn load_reads_a_file_and_names_a_missing_one() -> Result<(), Box<dyn std::error::Error>> {
        let path = std::env::temp_dir().join(format!("kintsugi-rules-{}.toml", std::process::id()));
        std::fs::write(&path, "[redaction]\nnames = [\"Okafor\"]\n")?;
        let loaded = TextRules::load(&path);
        std::fs::remove_file(&path)?;
        assert_eq!(loaded?.redactions("Okafor replied.").len(), 1);

        let missing = path.with_file_name("kintsugi-no-such-rules.toml");
        let error = TextRules::load(&missing)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("kintsugi-no-such-rules.toml"), "{error}");
        Ok(())
    }

    #[test]
    fn a_bad_file_names_the_rule_and_the_reason() {
        let rule = |id: &str, body: &str| {
            format!("[[rule]]\nid = \"{id}\"\nexplanation = \"e\"\nreframing = \"r\"\n{body}\n")
        };
        let cases = [
            (
                rule("bad_regex", "kind = \"blame\"\npattern = '(unclosed'"),
                "rule `bad_regex`: pattern is not a valid regular expression",
            ),
            (
                rule("wrong_kind", "kind = \"shame\"\nphrases = [\"x\"]"),
                "rule `wrong_kind`: `kind` must be `blame` or `identifying`, not `shame`",
            ),
            (
                rule(
                    "empty_phrase",
                    "kind = \"blame\"\nphrases = [\"fault\", \" \"]",
                ),
                "rule `empty_phrase`: phrase 2 is empty",
            ),
            (
                rule("no_matcher", "kind = \"blame\""),
                "rule `no_matcher`: give it `phrases`, a `pattern` or `detects`",
            ),
            (
                rule(
                    "two_matchers",
                    "kind = \"blame\"\nphrases = [\"x\"]\npattern = 'y'",
                ),
                "rule `two_matchers`: give it only one of",
            ),
            (
                rule(
                    "unknown_detector",
                    "kind = \"identifying\"\ndetects = \"fax\"",
                ),
                "rule `unknown_detector`: `detects` must be one of email, link",
            ),
            (
                rule("matches_nothing", "kind = \"blame\"\npattern = 'x*'"),
                "rule `matches_nothing`: pattern matches empty text",
            ),
            (
                format!(
                    "{}{}",
                    rule("twice", "kind = \"blame\"\nphrases = [\"a\"]"),
                    rule("twice", "kind = \"blame\"\nphrases = [\"b\"]")
                ),
                "rule `twice`: this id is used by an earlier rule",
            ),
            (
                "[[rule]]\nkind = \"blame\"\nphrases = [\"a\"]".to_owned(),
                "rule `#1`: `id` is missing or empty",
            ),
            (
                rule("terse", "kind = \"blame\"\nphrases = [\"a\"]\n")
                    .replace("explanation = \"e\"", "explanation = \"\""),
                "rule `terse`: `explanation` is missing or empty",
            ),
            (
                "[redaction]\nstaff_number = ['[A-Z', 'x']".to_owned(),
                "redaction `staff_number`: pattern 1 is not a valid regular expression",
            ),
            (
                rule(
                    "detector_except",
                    "kind = \"identifying\"\ndetects = \"email\"\nexcept = [\"x\"]",
                ),
                "rule `detector_except`: `except` works with",
            ),
            (
                rule(
                    "empty_except",
                    "kind = \"blame\"\nphrases = [\"x\"]\nexcept = [\"\"]",
                ),
                "rule `empty_except`: exception 1 is empty",
            ),
            (
                "[redaction]\nnames = ['Jane Doe', '']".to_owned(),
                "redaction `names`: name 2 is empty",
            ),
            (
                "[redaction]\nnot_names = ['Teams', ' ']".to_owned(),
                "redaction `not_names`: phrase 2 is empty",
            ),
            (
                "[[rule]]\nid = \"typo\"\nphrase = [\"a\"]".to_owned(),
                "unknown field `phrase`",
            ),
        ];
        for (source, expected) in cases {
            let error = TextRules::from_toml(&source).err().map(|e| e.to_string());
            assert!(
                error.as_deref().is_some_and(|e| e.contains(expected)),
                "expected {expected:?} for\n{source}\ngot {error:?}"
            );
        }
    }
}
