//! Tests of suggested redactions (overlaps, names, ids) and of applying the accepted ones.

use super::{Redaction, RedactionKind, RulesError, TextRules, apply};

fn found(rules: &TextRules, text: &str) -> Vec<(&'static str, String)> {
    rules
        .redactions(text)
        .into_iter()
        .map(|r| (r.kind.slug(), r.original))
        .collect()
}

#[test]
fn identifying_details_are_suggested_and_overlaps_resolved() {
    let rules = TextRules::defaults();
    let cases: [(&str, &[(&str, &str)]); 8] = [
        (
            "Mail jane.doe@council.example.org or call +44 20 7946 0958.",
            &[
                ("email", "jane.doe@council.example.org"),
                ("phone", "+44 20 7946 0958"),
            ],
        ),
        // An email beats the handle-looking part inside it; a fediverse handle stays whole.
        (
            "cc jane@council.example.org and @jane@social.example.org",
            &[
                ("email", "jane@council.example.org"),
                ("handle", "@jane@social.example.org"),
            ],
        ),
        // A link beats the handle, email or number inside it.
        (
            "Her blog https://medium.com/@jane_doe?email=jane@example.org",
            &[(
                "link",
                "https://medium.com/@jane_doe?email=jane@example.org",
            )],
        ),
        (
            "See linkedin.com/in/jane-doe and @CityCouncil.",
            &[
                ("link", "linkedin.com/in/jane-doe"),
                ("handle", "@CityCouncil"),
            ],
        ),
        (
            "Staff number: 48213 (payroll AB123456).",
            &[
                ("staff_number", "Staff number: 48213"),
                ("staff_number", "AB123456"),
            ],
        ),
        (
            "Dr Okafor and Ms Jane O'Brien-Smith signed it.",
            &[("name", "Dr Okafor"), ("name", "Ms Jane O'Brien-Smith")],
        ),
        (
            "On 2026-11-03 at 14:30 we spent £1,200 (12.5%) on version 1.2.3; \
             see https://www.gov.uk/guidance/social-media-use and report 3.",
            &[],
        ),
        (
            "Reply-all went to www.example.org/lists/2026-11-03/020-7946-0958 by default.",
            &[],
        ),
    ];
    for (text, expected) in cases {
        let expected: Vec<(&str, String)> = expected
            .iter()
            .map(|(kind, original)| (*kind, (*original).to_owned()))
            .collect();
        assert_eq!(found(&rules, text), expected, "in {text:?}");
    }
}

#[test]
fn configured_names_match_whole_words() -> Result<(), RulesError> {
    let rules =
        TextRules::from_toml("[redaction]\nnames = [\"Jane Doe\", \"Baker\", \"Zoë Müller\"]")?;
    let cases: [(&str, &[&str]); 5] = [
        (
            "jane doe sent it, then Jane\nDoe apologised.",
            &["jane doe", "Jane\nDoe"],
        ),
        // A single configured word needs its capital: the baker is not Ms Baker.
        ("Baker asked the baker; BAKER agreed.", &["Baker", "BAKER"]),
        ("Bakery staff and Janet Doering are someone else.", &[]),
        ("Zoë Müller's draft", &["Zoë Müller"]),
        // The built-in email detector still runs; "Jane Doe" needs the space.
        ("jane.doe@example.org", &["jane.doe@example.org"]),
    ];
    for (text, expected) in cases {
        let names: Vec<String> = rules
            .redactions(text)
            .into_iter()
            .map(|r| r.original)
            .collect();
        assert_eq!(names, expected, "in {text:?}");
    }
    Ok(())
}

#[test]
fn ids_are_stable_and_replacements_read_well() {
    let text = "Ping @jane_doe.";
    let redactions = TextRules::defaults().redactions(text);
    assert_eq!(
        redactions,
        [Redaction {
            id: "handle-5".to_owned(),
            kind: RedactionKind::Handle,
            start: 5,
            end: 14,
            original: "@jane_doe".to_owned(),
            replacement: "[handle]".to_owned(),
        }]
    );
    assert_eq!(TextRules::defaults().redactions(text), redactions);
    assert_eq!(apply(text, &redactions), "Ping [handle].");
}

#[test]
fn apply_skips_what_it_cannot_apply_safely() -> Result<(), RulesError> {
    let text = "Zoë Müller 📞 +44 20 7946 0958";
    let rules = TextRules::from_toml("[redaction]\nnames = [\"Zoë Müller\"]")?;
    let suggested = rules.redactions(text);
    assert_eq!(apply(text, &suggested), "[name] 📞 [phone number]");

    let span = |start: usize, end: usize, original: &str| Redaction {
        id: format!("name-{start}"),
        kind: RedactionKind::Name,
        start,
        end,
        original: original.to_owned(),
        replacement: "[name]".to_owned(),
    };
    let cases = [
        ("nothing accepted", vec![], text.to_owned()),
        ("out of range", vec![span(20, 400, "x")], text.to_owned()),
        ("start after end", vec![span(6, 3, "")], text.to_owned()),
        ("empty span", vec![span(3, 3, "")], text.to_owned()),
        // Byte 3 is inside "ë"; byte 15 is inside the telephone emoji.
        (
            "not on a char boundary",
            vec![span(3, 6, "x"), span(15, 17, "x")],
            text.to_owned(),
        ),
        ("stale original", vec![span(0, 4, "Anna")], text.to_owned()),
        (
            "overlapping the earlier one",
            vec![span(5, 12, "Müller"), span(0, 12, "Zoë Müller")],
            "Zoë [name] 📞 +44 20 7946 0958".to_owned(),
        ),
        (
            "given out of order",
            vec![suggested[1].clone(), suggested[0].clone()],
            "[name] 📞 [phone number]".to_owned(),
        ),
    ];
    for (case, accepted, expected) in cases {
        assert_eq!(apply(text, &accepted), expected, "{case}");
    }
    Ok(())
}
