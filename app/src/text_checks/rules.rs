//! The rule file: its TOML shape, and its compilation into matchers, with errors that name the rule.

use std::collections::HashSet;
use std::path::PathBuf;

use regex::{Regex, RegexBuilder};
use serde::Deserialize;

use super::hints::HintKind;
use super::names::NotNames;
use super::redaction::RedactionKind;

/// A rule file that cannot be used, with the rule or field at fault and the reason.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("cannot read the rule file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the rule file is not valid: {0}")]
    Syntax(#[from] toml::de::Error),
    #[error("rule `{rule}`: {reason}")]
    Rule { rule: String, reason: String },
    #[error("redaction `{field}`: {reason}")]
    Redaction { field: &'static str, reason: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSpec {
    #[serde(default, rename = "rule")]
    rules: Vec<RuleSpec>,
    #[serde(default)]
    redaction: RedactionSpec,
}

// Required fields are defaulted here and checked by hand, so that the error names the rule.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    #[serde(default)]
    id: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    phrases: Vec<String>,
    pattern: Option<String>,
    detects: Option<String>,
    #[serde(default)]
    except: Vec<String>,
    #[serde(default)]
    explanation: String,
    #[serde(default)]
    reframing: String,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RedactionSpec {
    #[serde(default)]
    staff_number: Vec<String>,
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    name_patterns: Vec<String>,
    #[serde(default)]
    likely_names: bool,
    #[serde(default)]
    not_names: Vec<String>,
}

/// One compiled hint rule.
#[derive(Clone, Debug)]
pub(super) struct HintRule {
    pub id: String,
    pub kind: HintKind,
    pub matcher: Matcher,
    pub explanation: String,
    pub reframing: String,
}

#[derive(Clone, Debug)]
pub(super) enum Matcher {
    /// Phrases or a pattern, matched against the text, unless inside one of the `except` phrases.
    Text { find: Regex, except: Option<Regex> },
    /// Reuses a redaction detector, so that writer and moderator see the same findings.
    Detector(RedactionKind),
}

/// The configurable part of redaction; the other detectors are built in.
#[derive(Clone, Debug, Default)]
pub(super) struct RedactionRules {
    pub staff_numbers: Vec<Regex>,
    pub names: Option<Regex>,
    pub name_patterns: Vec<Regex>,
    /// Whether to look for names nobody listed, see `names.rs`.
    pub likely_names: bool,
    pub not_names: NotNames,
}

pub(super) fn compile(source: &str) -> Result<(Vec<HintRule>, RedactionRules), RulesError> {
    let file: FileSpec = toml::from_str(source)?;
    let mut seen = HashSet::new();
    let mut rules = Vec::with_capacity(file.rules.len());
    for (index, spec) in file.rules.into_iter().enumerate() {
        let rule = compile_rule(spec, index)?;
        if !seen.insert(rule.id.clone()) {
            return Err(rule_error(&rule.id, "this id is used by an earlier rule"));
        }
        rules.push(rule);
    }
    Ok((rules, compile_redaction(file.redaction)?))
}

fn compile_rule(spec: RuleSpec, index: usize) -> Result<HintRule, RulesError> {
    let id = spec.id.trim().to_owned();
    if id.is_empty() {
        return Err(rule_error(
            &format!("#{}", index + 1),
            "`id` is missing or empty",
        ));
    }
    let kind = HintKind::from_slug(&spec.kind).ok_or_else(|| {
        rule_error(
            &id,
            format!(
                "`kind` must be `blame` or `identifying`, not `{}`",
                spec.kind
            ),
        )
    })?;
    for (field, value) in [
        ("explanation", &spec.explanation),
        ("reframing", &spec.reframing),
    ] {
        if value.trim().is_empty() {
            return Err(rule_error(&id, format!("`{field}` is missing or empty")));
        }
    }
    let text = |find: Result<Regex, String>| -> Result<Matcher, RulesError> {
        let except = if spec.except.is_empty() {
            None
        } else {
            Some(phrase_regex(&spec.except, "exception"))
        };
        let except = except
            .transpose()
            .map_err(|reason| rule_error(&id, reason))?;
        Ok(Matcher::Text {
            find: find.map_err(|reason| rule_error(&id, reason))?,
            except,
        })
    };
    let matcher = match (spec.phrases.is_empty(), spec.pattern, spec.detects) {
        (false, None, None) => text(phrase_regex(&spec.phrases, "phrase"))?,
        (true, Some(pattern), None) => {
            text(pattern_regex(&pattern).map_err(|reason| format!("pattern {reason}")))?
        }
        (true, None, Some(_)) if !spec.except.is_empty() => {
            return Err(rule_error(
                &id,
                "`except` works with `phrases` or a `pattern`, not `detects`",
            ));
        }
        (true, None, Some(detects)) => {
            Matcher::Detector(RedactionKind::from_slug(&detects).ok_or_else(|| {
                let expected = RedactionKind::ALL.map(RedactionKind::slug).join(", ");
                rule_error(
                    &id,
                    format!("`detects` must be one of {expected}, not `{detects}`"),
                )
            })?)
        }
        (true, None, None) => {
            return Err(rule_error(
                &id,
                "give it `phrases`, a `pattern` or `detects`",
            ));
        }
        _ => {
            return Err(rule_error(
                &id,
                "give it only one of `phrases`, `pattern` or `detects`",
            ));
        }
    };
    Ok(HintRule {
        id,
        kind,
        matcher,
        explanation: spec.explanation.trim().to_owned(),
        reframing: spec.reframing.trim().to_owned(),
    })
}

fn compile_redaction(spec: RedactionSpec) -> Result<RedactionRules, RulesError> {
    let patterns = |field: &'static str, sources: &[String]| {
        sources
            .iter()
            .enumerate()
            .map(|(i, source)| {
                pattern_regex(source).map_err(|reason| RulesError::Redaction {
                    field,
                    reason: format!("pattern {} {reason}", i + 1),
                })
            })
            .collect::<Result<Vec<_>, _>>()
    };
    let names = if spec.names.is_empty() {
        None
    } else {
        let names = phrase_regex(&spec.names, "name").map_err(|reason| RulesError::Redaction {
            field: "names",
            reason,
        })?;
        Some(names)
    };
    if let Some(empty) = spec.not_names.iter().position(|p| p.trim().is_empty()) {
        return Err(RulesError::Redaction {
            field: "not_names",
            reason: format!("phrase {} is empty", empty + 1),
        });
    }
    Ok(RedactionRules {
        staff_numbers: patterns("staff_number", &spec.staff_number)?,
        names,
        name_patterns: patterns("name_patterns", &spec.name_patterns)?,
        likely_names: spec.likely_names,
        not_names: NotNames::new(&spec.not_names),
    })
}

fn rule_error(rule: &str, reason: impl Into<String>) -> RulesError {
    RulesError::Rule {
        rule: rule.to_owned(),
        reason: reason.into(),
    }
}

/// One case-insensitive regex for a list of phrases: whole words, any run of white space between
/// words, either apostrophe. Longer phrases come first so that "carelessly" beats "careless".
fn phrase_regex(phrases: &[String], noun: &str) -> Result<Regex, String> {
    let mut phrases: Vec<&str> = phrases.iter().map(|p| p.trim()).collect();
    if let Some(empty) = phrases.iter().position(|p| p.is_empty()) {
        return Err(format!("{noun} {} is empty", empty + 1));
    }
    phrases.sort_by_key(|p| std::cmp::Reverse(p.len()));
    let alternatives: Vec<String> = phrases.iter().map(|p| bounded(p)).collect();
    pattern_regex(&format!("(?:{})", alternatives.join("|"))).map_err(|r| format!("{noun}s {r}"))
}

fn bounded(phrase: &str) -> String {
    let words: Vec<String> = phrase
        .split_whitespace()
        .map(|word| regex::escape(word).replace(['\'', '’'], "['’]"))
        .collect();
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let before = if is_word(phrase.chars().next()) {
        r"\b"
    } else {
        ""
    };
    let after = if is_word(phrase.chars().next_back()) {
        r"\b"
    } else {
        ""
    };
    format!("{before}{}{after}", words.join(r"\s+"))
}

/// Every pattern ignores case, as phrases do; `(?-i:…)` marks a part where capitals matter.
/// The error is a predicate for the caller to name its subject: "pattern 2 {error}".
fn pattern_regex(source: &str) -> Result<Regex, String> {
    let regex = RegexBuilder::new(source)
        .case_insensitive(true)
        .build()
        .map_err(|e| format!("is not a valid regular expression: {e}"))?;
    // An empty match would flag every position of every text.
    if regex.is_match("") {
        return Err("matches empty text".to_owned());
    }
    Ok(regex)
}
