//! Anchors and slugs: the stable names of sections and guidelines in addresses.
//!
//! An anchor is made once from a section's first heading and then kept, whatever the heading
//! later says, so that links into a guideline keep working.

use crate::error::{AppError, Result};

/// The longest anchor or slug.
pub const MAX_ANCHOR: usize = 80;

/// Slugs that name pages of their own under `/guidelines/`, not guidelines.
const RESERVED_SLUGS: [&str; 3] = ["search", "new", "compare"];

/// The anchor a heading gives: lower-case letters and digits joined by single dashes, common
/// accented letters folded (`Médias sociaux` → `medias-sociaux`), at most [`MAX_ANCHOR`]
/// characters cut at a dash. Empty when the heading has no letter or digit.
pub fn slug_of(text: &str) -> String {
    let mut slug = String::new();
    let mut dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        let folded = fold(c);
        if folded.is_empty() {
            dash = !slug.is_empty();
            continue;
        }
        if dash {
            slug.push('-');
            dash = false;
        }
        slug.push_str(folded);
    }
    if slug.len() > MAX_ANCHOR {
        let cut = slug[..=MAX_ANCHOR].rfind('-').unwrap_or(MAX_ANCHOR);
        slug.truncate(cut);
    }
    slug
}

/// Checks an anchor given by a person or a file: the form [`slug_of`] makes.
pub fn validate(field: &str, anchor: &str) -> Result<String> {
    let anchor = anchor.trim();
    let well_formed = !anchor.is_empty()
        && anchor.len() <= MAX_ANCHOR
        && anchor.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    if well_formed {
        Ok(anchor.to_owned())
    } else {
        Err(AppError::invalid(
            field,
            format!(
                "'{}' is not an anchor: use lower-case letters and digits joined by single \
                 dashes, at most {MAX_ANCHOR} characters (as in bcc-for-external-lists)",
                anchor.chars().take(100).collect::<String>()
            ),
        ))
    }
}

/// Checks a guideline's slug: an anchor that does not name one of the guideline pages.
pub fn validate_slug(field: &str, slug: &str) -> Result<String> {
    let slug = validate(field, slug)?;
    if RESERVED_SLUGS.contains(&slug.as_str()) {
        return Err(AppError::invalid(
            field,
            format!("'{slug}' names a page of its own; choose another slug"),
        ));
    }
    Ok(slug)
}

/// The first anchor that occurs twice, if any.
pub fn first_duplicate<'a>(anchors: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut seen = std::collections::HashSet::new();
    anchors.into_iter().find(|a| !seen.insert(*a))
}

/// A lower-case character as it appears in a slug: itself, folded, or nothing.
fn fold(c: char) -> &'static str {
    const PLAIN: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
    if let Some(i) = PLAIN.find(c) {
        return &PLAIN[i..i + 1];
    }
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => "a",
        'ç' | 'ć' | 'č' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'ī' => "i",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' => "u",
        'ý' | 'ÿ' => "y",
        'š' | 'ś' => "s",
        'ž' | 'ź' | 'ż' => "z",
        'ł' => "l",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_become_anchors() {
        for (heading, anchor) in [
            ("Use Bcc for external lists", "use-bcc-for-external-lists"),
            ("  Embargoes: who, when & how?  ", "embargoes-who-when-how"),
            (
                "Médias sociaux — comptes officiels",
                "medias-sociaux-comptes-officiels",
            ),
            ("Step 2 of 3", "step-2-of-3"),
            ("¿¡!?", ""),
        ] {
            assert_eq!(slug_of(heading), anchor, "{heading}");
        }
    }

    #[test]
    fn long_headings_are_cut_at_a_dash() {
        let anchor = slug_of(&"word ".repeat(40));
        assert!(
            anchor.len() <= MAX_ANCHOR && !anchor.ends_with('-'),
            "{anchor}"
        );
        assert!(validate("anchor", &anchor).is_ok());
    }

    #[test]
    fn only_well_formed_anchors_pass() {
        assert_eq!(
            validate("anchor", " bcc-lists ").ok().as_deref(),
            Some("bcc-lists")
        );
        for bad in [
            "",
            "Bcc",
            "two--dashes",
            "-lead",
            "trail-",
            "a#b",
            "a b",
            "é",
            &"a".repeat(81),
        ] {
            assert!(validate("anchor", bad).is_err(), "{bad:?} passed");
        }
        assert!(validate_slug("slug", "search").is_err());
        assert!(validate_slug("slug", "email").is_ok());
    }

    #[test]
    fn the_first_duplicate_is_named() {
        assert_eq!(first_duplicate(["a", "b", "a", "b"]), Some("a"));
        assert_eq!(first_duplicate(["a", "b"]), None);
    }
}
