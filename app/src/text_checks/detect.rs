//! Built-in detectors of contact details: email addresses, @handles, links and phone numbers.
//!
//! These shapes are the same in every organisation, so they live in code; what differs (staff
//! number formats, names) lives in the rule file.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("built-in detector patterns are valid: the detector tests run each")
}

static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| regex(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.\p{L}{2,}"));

// No look-behind in `regex`: the character before the @ is matched and left out of group 1, so
// that the domain of an email address is never taken for a handle. A fediverse handle
// (@name@server.example) is one handle.
static HANDLE: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?:^|[^\w@.])(@\w+(?:@[\w-]+(?:\.[\w-]+)+)?)"));

static TIME_OF_DAY: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^[0-9]{1,2}(?:[h.][0-9]{2})?(?:am|pm|h)?$"));

/// Mentions that address a group in chat tools, not a person.
const GROUP_MENTIONS: &[&str] = &["all", "channel", "everyone", "here", "team"];

static LINK: LazyLock<Regex> = LazyLock::new(|| {
    regex(concat!(
        r#"(?i)\b(?:https?://|www\.)[^\s<>"]+"#,
        r#"|\b(?:[a-z0-9-]+\.)*(?:facebook|fb|linkedin|twitter|x|instagram|tiktok|threads|bsky|youtube)"#,
        r#"\.(?:com|net|app)/[^\s<>"]+"#,
    ))
});

const SOCIAL_HOSTS: &[&str] = &[
    "facebook.com",
    "fb.com",
    "linkedin.com",
    "twitter.com",
    "x.com",
    "instagram.com",
    "tiktok.com",
    "threads.net",
    "bsky.app",
    "youtube.com",
];

/// First path segments on social sites that are pages of the site, not someone's profile.
const SITE_PAGES: &[&str] = &[
    "about", "company", "events", "explore", "groups", "hashtag", "help", "home", "i", "intent",
    "jobs", "legal", "login", "policies", "privacy", "results", "search", "settings", "share",
    "sharer.php", "signup", "terms", "watch",
];

/// A path segment that introduces a person: `/users/jdoe`, `/people/jane-doe`.
const PROFILE_SEGMENTS: &[&str] = &[
    "account", "accounts", "author", "authors", "employee", "employees", "member", "members",
    "people", "person", "profile", "profiles", "staff", "u", "user", "users",
];

/// Query keys whose value points at a person: `?user=`, `?email=`, `?id=`.
const PERSONAL_KEYS: &[&str] = &[
    "account", "email", "employee", "employee_id", "handle", "id", "login", "mail", "member",
    "member_id", "name", "person", "person_id", "profile", "profile_id", "profileid", "staff",
    "staff_id", "uid", "user", "user_id", "userid", "username",
];

// A candidate only: digit groups with single separators. `is_phone` decides.
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"\+?(?:\([0-9]{1,5}\)|[0-9]+)(?:[ .\-\u{A0}]?(?:\([0-9]{1,5}\)|[0-9]+))*")
});

pub(super) fn emails(text: &str) -> Vec<Range<usize>> {
    EMAIL.find_iter(text).map(|m| m.range()).collect()
}

pub(super) fn handles(text: &str) -> Vec<Range<usize>> {
    HANDLE
        .captures_iter(text)
        .filter_map(|c| c.get(1))
        .filter(|m| is_handle(m.as_str()))
        .map(|m| m.range())
        .collect()
}

fn is_handle(handle: &str) -> bool {
    let name = handle.trim_start_matches('@');
    let name = name.split('@').next().unwrap_or(name).to_lowercase();
    name.chars().any(|c| c.is_alphabetic() || c == '_')
        && !GROUP_MENTIONS.contains(&name.as_str())
        && !TIME_OF_DAY.is_match(&name)
}

/// Every link, with whether it points at a person. Ordinary links are returned too, so that
/// digits and @ inside them are not taken for phone numbers or handles.
pub(super) fn links(text: &str) -> Vec<(Range<usize>, bool)> {
    LINK.find_iter(text)
        .map(|m| {
            let link = trim_link(m.as_str());
            (m.start()..m.start() + link.len(), is_personal(link))
        })
        .collect()
}

/// Leaves out the punctuation that ends the sentence around a link.
fn trim_link(link: &str) -> &str {
    let mut link = link;
    while let Some(last) = link.chars().next_back() {
        let unbalanced = |open: char| link.matches(open).count() < link.matches(last).count();
        let trailing = matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '’' | '”')
            || (last == ')' && unbalanced('('))
            || (last == ']' && unbalanced('['));
        if !trailing {
            break;
        }
        link = &link[..link.len() - last.len_utf8()];
    }
    link
}

fn is_personal(link: &str) -> bool {
    if link.contains('@') {
        return true;
    }
    let lower = link.to_lowercase();
    let rest = lower.split_once("://").map_or(lower.as_str(), |(_, rest)| rest);
    let rest = rest.split('#').next().unwrap_or(rest);
    let (address, query) = rest.split_once('?').unwrap_or((rest, ""));
    let mut parts = address.split('/');
    let host = parts.next().unwrap_or_default();
    let host = ["www.", "m.", "mobile."].iter().fold(host, |h, p| h.strip_prefix(p).unwrap_or(h));
    let segments: Vec<&str> = parts.filter(|s| !s.is_empty()).collect();

    let social = SOCIAL_HOSTS.iter().any(|s| host == *s || host.ends_with(&format!(".{s}")));
    let profile_on_social = social && segments.first().is_some_and(|s| !SITE_PAGES.contains(s));
    let profile_path = segments.windows(2).any(|w| PROFILE_SEGMENTS.contains(&w[0]))
        || segments.iter().any(|s| s.starts_with('~'));
    let personal_query = query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .any(|(key, value)| !value.is_empty() && PERSONAL_KEYS.contains(&key));
    profile_on_social || profile_path || personal_query
}

pub(super) fn phones(text: &str) -> Vec<Range<usize>> {
    PHONE.find_iter(text).map(|m| m.range()).filter(|r| is_phone(text, r)).collect()
}

/// Telephone shapes, tight enough to leave dates, times, sums, versions and references alone:
/// international (+), area code in brackets, national with a trunk 0, or North American.
fn is_phone(text: &str, range: &Range<usize>) -> bool {
    let joined_to_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    if joined_to_word(text[..range.start].chars().next_back())
        || joined_to_word(text[range.end..].chars().next())
    {
        return false;
    }
    let candidate = &text[range.clone()];
    let groups: Vec<&str> =
        candidate.split(|c: char| !c.is_ascii_digit()).filter(|g| !g.is_empty()).collect();
    let digits: usize = groups.iter().map(|g| g.len()).sum();
    let mut separators = candidate.chars().filter(|c| matches!(c, ' ' | '.' | '-' | '\u{A0}'));
    let one_separator = separators.next().is_none_or(|first| separators.all(|c| c == first));
    let lengths: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    match candidate.chars().next() {
        Some('+') => (8..=15).contains(&digits),
        Some('(') => (8..=12).contains(&digits),
        // One kind of separator: "03-11-2026 14" is a date and a time, not a number.
        Some('0') => {
            (9..=12).contains(&digits)
                && one_separator
                && (groups.len() > 1 || (10..=11).contains(&digits))
        }
        _ => {
            one_separator
                && (lengths == [3, 3, 4] || (lengths == [1, 3, 3, 4] && groups[0] == "1"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{emails, handles, links, phones};

    fn spans(text: &str, found: Vec<std::ops::Range<usize>>) -> Vec<&str> {
        found.into_iter().filter_map(|r| text.get(r)).collect()
    }

    #[test]
    fn phone_numbers_in_their_usual_shapes() {
        let cases = [
            ("Call +44 20 7946 0958 after nine.", "+44 20 7946 0958"),
            ("Ring +44 (0)20 7946 0958.", "+44 (0)20 7946 0958"),
            ("Paris: +33 1 23 45 67 89.", "+33 1 23 45 67 89"),
            ("His mobile, 06 12 34 56 78, was in the footer.", "06 12 34 56 78"),
            ("Or 06.12.34.56.78 in the French style.", "06.12.34.56.78"),
            ("The London desk is on 020 7946 0958.", "020 7946 0958"),
            ("Text 07700900123 for updates.", "07700900123"),
            ("Sydney office (02) 9374 4000.", "(02) 9374 4000"),
            ("The US desk: 555-123-4567.", "555-123-4567"),
            ("Toll free 1-800-555-0199.", "1-800-555-0199"),
            ("Their number (555) 123-4567 was public.", "(555) 123-4567"),
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
        ];
        for text in texts {
            assert_eq!(spans(text, phones(text)), Vec::<&str>::new(), "in {text:?}");
        }
    }

    #[test]
    fn handles_but_not_email_domains_or_group_mentions() {
        let cases: [(&str, &[&str]); 6] = [
            ("Thanks to @jane_doe and @CityCouncil.", &["@jane_doe", "@CityCouncil"]),
            ("Reply to jane.doe@council.example.org please.", &[]),
            ("Followed by @jane@social.example.org too.", &["@jane@social.example.org"]),
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
            ("See https://www.linkedin.com/in/jane-doe, then.", "https://www.linkedin.com/in/jane-doe", true),
            ("Her page facebook.com/jane.doe.", "facebook.com/jane.doe", true),
            ("Posted from https://x.com/CityCouncil/status/1 (oops).", "https://x.com/CityCouncil/status/1", true),
            ("twitter.com/jane_doe", "twitter.com/jane_doe", true),
            ("https://intranet.example.org/users/jdoe", "https://intranet.example.org/users/jdoe", true),
            ("https://www.gov.uk/government/people/jane-doe", "https://www.gov.uk/government/people/jane-doe", true),
            ("https://example.org/directory?user=jdoe&tab=1", "https://example.org/directory?user=jdoe&tab=1", true),
            ("https://hr.example.org/record?id=12345", "https://hr.example.org/record?id=12345", true),
            ("https://example.org/contact?email=jane%40example.org", "https://example.org/contact?email=jane%40example.org", true),
            ("https://medium.com/@jane", "https://medium.com/@jane", true),
            ("(see https://www.gov.uk/guidance/social-media-use)", "https://www.gov.uk/guidance/social-media-use", false),
            ("https://www.youtube.com/watch?v=abc123", "https://www.youtube.com/watch?v=abc123", false),
            ("www.example.org/news/2026-11-03/020-7946-0958.", "www.example.org/news/2026-11-03/020-7946-0958", false),
            ("https://www.linkedin.com/company/example-agency", "https://www.linkedin.com/company/example-agency", false),
        ];
        for (text, link, personal) in cases {
            let found: Vec<(&str, bool)> =
                links(text).into_iter().filter_map(|(r, p)| Some((text.get(r)?, p))).collect();
            assert_eq!(found, [(link, personal)], "in {text:?}");
        }
    }
}
