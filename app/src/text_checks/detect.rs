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
    "about",
    "company",
    "events",
    "explore",
    "groups",
    "hashtag",
    "help",
    "home",
    "i",
    "intent",
    "jobs",
    "legal",
    "login",
    "policies",
    "privacy",
    "results",
    "search",
    "settings",
    "share",
    "sharer.php",
    "signup",
    "terms",
    "watch",
];

/// A path segment that introduces a person: `/users/jdoe`, `/people/jane-doe`.
const PROFILE_SEGMENTS: &[&str] = &[
    "account",
    "accounts",
    "author",
    "authors",
    "employee",
    "employees",
    "member",
    "members",
    "people",
    "person",
    "profile",
    "profiles",
    "staff",
    "u",
    "user",
    "users",
];

/// Query keys whose value points at a person: `?user=`, `?email=`, `?id=`.
const PERSONAL_KEYS: &[&str] = &[
    "account",
    "email",
    "employee",
    "employee_id",
    "handle",
    "id",
    "login",
    "mail",
    "member",
    "member_id",
    "name",
    "person",
    "person_id",
    "profile",
    "profile_id",
    "profileid",
    "staff",
    "staff_id",
    "uid",
    "user",
    "user_id",
    "userid",
    "username",
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
    let rest = lower
        .split_once("://")
        .map_or(lower.as_str(), |(_, rest)| rest);
    let rest = rest.split('#').next().unwrap_or(rest);
    let (address, query) = rest.split_once('?').unwrap_or((rest, ""));
    let mut parts = address.split('/');
    let host = parts.next().unwrap_or_default();
    let host = ["www.", "m.", "mobile."]
        .iter()
        .fold(host, |h, p| h.strip_prefix(p).unwrap_or(h));
    let segments: Vec<&str> = parts.filter(|s| !s.is_empty()).collect();

    let social = SOCIAL_HOSTS
        .iter()
        .any(|s| host == *s || host.ends_with(&format!(".{s}")));
    let profile_on_social = social && segments.first().is_some_and(|s| !SITE_PAGES.contains(s));
    let profile_path = segments
        .windows(2)
        .any(|w| PROFILE_SEGMENTS.contains(&w[0]))
        || segments.iter().any(|s| s.starts_with('~'));
    let personal_query = query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .any(|(key, value)| !value.is_empty() && PERSONAL_KEYS.contains(&key));
    profile_on_social || profile_path || personal_query
}

pub(super) fn phones(text: &str) -> Vec<Range<usize>> {
    PHONE
        .find_iter(text)
        .flat_map(|m| phones_within(text, m.range()))
        .collect()
}

/// The longest numbers among the space-separated words of a candidate, so that a year before
/// ("in 2026 020 7946 0958") or a count after ("0958 12 times") does not spoil or join it.
fn phones_within(text: &str, candidate: Range<usize>) -> Vec<Range<usize>> {
    let mut words = Vec::new();
    let mut start = candidate.start;
    for (i, c) in text[candidate.clone()].char_indices() {
        if matches!(c, ' ' | '\u{A0}') {
            words.push(start..candidate.start + i);
            start = candidate.start + i + c.len_utf8();
        }
    }
    words.push(start..candidate.end);

    let mut found = Vec::new();
    let mut first = 0;
    while first < words.len() {
        // No number has more than eight groups ("+33 1 23 45 67 89" has six).
        let last = (first..words.len().min(first + 8))
            .rev()
            .find(|&last| is_phone(text, &(words[first].start..words[last].end)));
        match last {
            Some(last) => {
                found.push(words[first].start..words[last].end);
                first = last + 1;
            }
            None => first += 1,
        }
    }
    found
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
    let groups: Vec<&str> = candidate
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let lengths: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    let digits: usize = lengths.iter().sum();
    // A number ends in a group of two or more digits; "0958 2" is a number and a count.
    if lengths.last().is_none_or(|&last| last < 2) {
        return false;
    }
    let mut separators = candidate
        .chars()
        .filter(|c| matches!(c, ' ' | '.' | '-' | '\u{A0}'));
    let one_separator = separators
        .next()
        .is_none_or(|first| separators.all(|c| c == first));
    match candidate.chars().next() {
        Some('+') => (8..=15).contains(&digits),
        Some('(') => (8..=12).contains(&digits),
        // One kind of separator: "03-11-2026 14" is a date and a time, not a number. Written
        // without separators, "00…" is more often a reference than a number.
        Some('0') => {
            (9..=12).contains(&digits)
                && one_separator
                && (groups.len() > 1
                    || ((10..=11).contains(&digits) && !candidate.starts_with("00")))
        }
        _ => {
            one_separator && (lengths == [3, 3, 4] || (lengths == [1, 3, 3, 4] && groups[0] == "1"))
        }
    }
}
