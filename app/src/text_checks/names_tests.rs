//! Tests of the search for names nobody listed: the names it finds, and the capitals it leaves.

use super::{HintKind, NotNames, TextRules};

/// The names the default rules suggest redacting in `text`.
fn names(rules: &TextRules, text: &str, not_names: &NotNames) -> Vec<String> {
    rules
        .redactions_with(text, not_names)
        .into_iter()
        .filter(|r| r.kind.slug() == "name")
        .map(|r| r.original)
        .collect()
}

#[test]
fn likely_names_are_found() {
    let rules = TextRules::defaults();
    let none = NotNames::default();
    let cases: &[(&str, &[&str])] = &[
        ("My colleague John was careless.", &["John"]),
        ("Sarah Dupont from legal signed it off.", &["Sarah Dupont"]),
        (
            "It went to our manager Sarah Dupont first.",
            &["Sarah Dupont"],
        ),
        ("I checked with Okafor in comms.", &["Okafor"]),
        (
            "Then Priya Sharma from the press office replied.",
            &["Priya Sharma"],
        ),
        ("My colleague Okafor sent the draft.", &["Okafor"]),
        ("Our team leader, Bukola, was on leave.", &["Bukola"]),
        (
            "Dr Okafor and Ms. Adeyemi signed it.",
            &["Dr Okafor", "Ms. Adeyemi"],
        ),
        ("Sarah sent it before the embargo.", &["Sarah"]),
        (
            "I forwarded it to Zoë and to Jean-Pierre.",
            &["Zoë", "Jean-Pierre"],
        ),
        (
            "Jan van der Berg and Sarah de Vries were copied.",
            &["Jan van der Berg", "Sarah de Vries"],
        ),
        ("It was Sarah's draft, not Tom's.", &["Sarah", "Tom"]),
        ("The list came from Frank.", &["Frank"]),
        ("Frank Miller sent it.", &["Frank Miller"]),
        // Given names that are also words count next to a role, a surname or another name.
        ("My manager Grace checked the list.", &["Grace"]),
        ("Will Smith forwarded the thread.", &["Will Smith"]),
        ("Rose from legal saw it first.", &["Rose"]),
        ("Mark's email went to the wrong list.", &["Mark"]),
        ("Mark and Sarah were both on leave.", &["Mark", "Sarah"]),
        ("Our intern May was alone that evening.", &["May"]),
        ("On Christmas Eve my colleague Eve was on call.", &["Eve"]),
        ("My Colleague John Was Careless", &["John"]),
        (
            "O'Brien from legal and McDonald in comms agreed.",
            &["O'Brien", "McDonald"],
        ),
        ("The report by Sarah's team went out.", &["Sarah"]),
        // A name found once is found again, wherever it stands.
        (
            "I told Rob. Rob told Frank. Frank told nobody.",
            &["Rob", "Rob", "Frank", "Frank"],
        ),
        (
            "Okafor replied. My colleague Okafor was away.",
            &["Okafor", "Okafor"],
        ),
        // … but not where it opens a sentence as an ordinary word.
        (
            "Will Smith left early. Will anyone check the list?",
            &["Will Smith"],
        ),
        (
            "Ms May and Mr Will Page met Dr. Grace.",
            &["Ms May", "Mr Will Page", "Dr. Grace"],
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(names(&rules, text, &none), *expected, "in {text:?}");
    }
}

#[test]
fn capitals_that_are_not_names_are_left_alone() {
    let rules = TextRules::defaults();
    let none = NotNames::default();
    let texts = [
        "The invitation went out on Microsoft Teams to the whole list.",
        "We posted it over New Year, on the Bank Holiday, after Christmas.",
        "The August Bank Holiday post went out on Monday 3 June.",
        "Will anyone check the list? May I suggest a second reader?",
        "Mark the embargo in the calendar. Bill the agency later.",
        "Grace periods, Rose gardens and Page layouts were all fine.",
        "Frank discussions followed. Drew up a checklist.",
        "In May the figures went out early; by June we had a checklist.",
        "The figures for April 2026 were published on 12 August.",
        "The statement was read at Victoria Station and at St Mary's Hospital.",
        "We asked Alexa and Siri, then checked Outlook in comms.",
        "Staff in comms and everyone in legal were told.",
        "The Chief Executive and the Head of Communications apologised.",
        "The Bill was amended; the Dean wrote to students.",
        "Reply-All Sent To The Whole Press List",
        "Grace Period Missed For The Amber Warning",
        "Over Christmas in HR we used WhatsApp in comms.",
        "The CEO asked HR and the IT team about it.",
        "She said it in it, then put it in IT.",
        "Ads from Marks & Spencer appeared beside the post.",
        "The Data Protection Act and the Freedom of Information Act apply.",
        "Dear Colleagues, Kind Regards, Best Wishes",
        "The event in Florence was moved; Jordan was the country in the story.",
    ];
    for text in texts {
        assert_eq!(
            names(&rules, text, &none),
            Vec::<String>::new(),
            "in {text:?}"
        );
    }
}

#[test]
fn unit_names_are_not_names() {
    let rules = TextRules::defaults();
    let text = "The draft went to Sophie Germain for review.";
    assert_eq!(
        names(&rules, text, &NotNames::default()),
        ["Sophie Germain"]
    );
    let units = NotNames::new(["Tax Agency", "Sophie Germain", "Web team"]);
    assert_eq!(names(&rules, text, &units), Vec::<String>::new());
    // Other names in the same text are still found.
    let text = "Sarah from Sophie Germain replied.";
    assert_eq!(names(&rules, text, &units), ["Sarah"]);
}

#[test]
fn the_writer_gets_a_gentle_hint_on_a_name() {
    let text = "My colleague John was careless.";
    let hints = TextRules::defaults().hints_with(text, &NotNames::default());
    let found: Vec<(&str, HintKind, &str)> = hints
        .iter()
        .map(|h| (h.rule.as_str(), h.kind, h.excerpt.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("person_name", HintKind::Identifying, "John"),
            ("careless", HintKind::Blame, "careless")
        ]
    );
    let name = &hints[0];
    assert!(
        name.explanation.contains("can identify a colleague"),
        "{name:?}"
    );
    assert!(name.reframing.contains("a colleague in legal"), "{name:?}");
}

#[test]
fn likely_names_are_off_unless_the_rule_file_asks() -> Result<(), super::RulesError> {
    let text = "Sarah Dupont from legal sent it.";
    let silent = TextRules::from_toml("[redaction]\nnames = []")?;
    assert_eq!(
        names(&silent, text, &NotNames::default()),
        Vec::<String>::new()
    );
    let listed = TextRules::from_toml("[redaction]\nlikely_names = true\nnot_names = ['Dupont']")?;
    assert_eq!(names(&listed, text, &NotNames::default()), ["Sarah"]);
    Ok(())
}
