//! Tests of the built-in detectors: what they find, and the look-alikes they leave alone.

use super::detect::{emails, handles, links, phones};

fn spans(text: &str, found: Vec<std::ops::Range<usize>>) -> Vec<&str> {
    found.into_iter().filter_map(|r| text.get(r)).collect()
}

#[test]
fn phone_numbers_in_their_usual_shapes() {
    let cases = [
        ("Call +44 20 7946 0958 after nine.", "+44 20 7946 0958"),
        ("Ring +44 (0)20 7946 0958.", "+44 (0)20 7946 0958"),
        ("Paris: +33 1 23 45 67 89.", "+33 1 23 45 67 89"),
        (
            "His mobile, 06 12 34 56 78, was in the footer.",
            "06 12 34 56 78",
        ),
        ("Or 06.12.34.56.78 in the French style.", "06.12.34.56.78"),
        ("The London desk is on 020 7946 0958.", "020 7946 0958"),
        ("Text 07700900123 for updates.", "07700900123"),
        ("Sydney office (02) 9374 4000.", "(02) 9374 4000"),
        ("The US desk: 555-123-4567.", "555-123-4567"),
        ("Toll free 1-800-555-0199.", "1-800-555-0199"),
        ("Their number (555) 123-4567 was public.", "(555) 123-4567"),
        ("In 2026 020 7946 0958 was still listed.", "020 7946 0958"),
        ("Ring 020 7946 0958 2 times.", "020 7946 0958"),
    ];
    for (text, phone) in cases {
        assert_eq!(spans(text, phones(text)), [phone], "in {text:?}");
    }
}

#[test]
fn numbers_that_are_not_phone_numbers() {
    let texts = [
        "The embargo lifted on 2026-11-03 at 14:30.",
        "Sent on 03-11-2026 14:30, a day early.",
        "The 03.11.2026 bulletin and the 2024-2025 plan.",
        "It cost £1,200, or £1 200 000 over the programme.",
        "Version 1.2.3 of the tool, build 10.0.19041.1234.",
        "Open rates fell by 12.5% to 48%.",
        "This is report 3 of 2025, case REF-2026-000123.",
        "The server at 192.168.100.200 was fine.",
        "Staff number AB1234567 is not a phone.",
        "ISBN 978-0-12-345678-9.",
        "Order 00123456789 arrived.",
    ];
    for text in texts {
        assert_eq!(spans(text, phones(text)), Vec::<&str>::new(), "in {text:?}");
    }
}

#[test]
fn handles_but_not_email_domains_or_group_mentions() {
    let cases: [(&str, &[&str]); 6] = [
        (
            "Thanks to @jane_doe and @CityCouncil.",
            &["@jane_doe", "@CityCouncil"],
        ),
        ("Reply to jane.doe@council.example.org please.", &[]),
        (
            "Followed by @jane@social.example.org too.",
            &["@jane@social.example.org"],
        ),
        ("Meet @ the town hall @5pm, then @here.", &[]),
        ("(@PressOffice) posted it.", &["@PressOffice"]),
        ("@10DowningStreet replied.", &["@10DowningStreet"]),
    ];
    for (text, expected) in cases {
        assert_eq!(spans(text, handles(text)), expected, "in {text:?}");
    }
}

#[test]
fn emails_end_before_the_full_stop() {
    let text = "Write to Zoë.Müller@agency.example.gov.uk. Or press@example.org.";
    let expected = ["Zoë.Müller@agency.example.gov.uk", "press@example.org"];
    assert_eq!(spans(text, emails(text)), expected);
}

#[test]
fn links_to_a_person_are_told_apart_from_ordinary_ones() {
    let cases = [
        (
            "See https://www.linkedin.com/in/jane-doe, then.",
            "https://www.linkedin.com/in/jane-doe",
            true,
        ),
        (
            "Her page facebook.com/jane.doe.",
            "facebook.com/jane.doe",
            true,
        ),
        (
            "Posted from https://x.com/CityCouncil/status/1 (oops).",
            "https://x.com/CityCouncil/status/1",
            true,
        ),
        ("twitter.com/jane_doe", "twitter.com/jane_doe", true),
        (
            "https://intranet.example.org/users/jdoe",
            "https://intranet.example.org/users/jdoe",
            true,
        ),
        (
            "https://www.gov.uk/government/people/jane-doe",
            "https://www.gov.uk/government/people/jane-doe",
            true,
        ),
        (
            "https://example.org/directory?user=jdoe&tab=1",
            "https://example.org/directory?user=jdoe&tab=1",
            true,
        ),
        (
            "https://hr.example.org/record?id=12345",
            "https://hr.example.org/record?id=12345",
            true,
        ),
        (
            "https://example.org/contact?email=jane%40example.org",
            "https://example.org/contact?email=jane%40example.org",
            true,
        ),
        ("https://medium.com/@jane", "https://medium.com/@jane", true),
        (
            "(see https://www.gov.uk/guidance/social-media-use)",
            "https://www.gov.uk/guidance/social-media-use",
            false,
        ),
        (
            "https://www.youtube.com/watch?v=abc123",
            "https://www.youtube.com/watch?v=abc123",
            false,
        ),
        (
            "www.example.org/news/2026-11-03/020-7946-0958.",
            "www.example.org/news/2026-11-03/020-7946-0958",
            false,
        ),
        (
            "https://www.linkedin.com/company/example-agency",
            "https://www.linkedin.com/company/example-agency",
            false,
        ),
    ];
    for (text, link, personal) in cases {
        let found: Vec<(&str, bool)> = links(text)
            .into_iter()
            .filter_map(|(r, p)| Some((text.get(r)?, p)))
            .collect();
        assert_eq!(found, [(link, personal)], "in {text:?}");
    }
}
