//! Checks on free text: blameless-language hints for writers and suggested redactions for
//! moderators. The rules are data (`app/rules/text-checks.toml`), not code.
