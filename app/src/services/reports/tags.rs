//! Tags as people type them: one rule for the report form and the moderator's draft.

/// Splits typed tags. Commas separate tags, so that a tag may be typed with spaces (they
/// become dashes); text without a comma is split at spaces, so that "reply-all embargo" is
/// two tags as well.
pub fn split_tags(text: &str) -> Vec<String> {
    let tags: Vec<&str> = if text.contains(',') {
        text.split(',').collect()
    } else {
        text.split_whitespace().collect()
    };
    tags.into_iter()
        .map(str::trim)
        .filter(|tag| !tag.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Stored tags (normalised, separated by spaces) as they are typed: separated by commas.
pub fn typed_tags(stored: &str) -> String {
    stored.split_whitespace().collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commas_separate_tags_and_spaces_do_without_a_comma() {
        assert_eq!(split_tags("reply all, embargo,"), ["reply all", "embargo"]);
        assert_eq!(split_tags(" reply-all  embargo "), ["reply-all", "embargo"]);
        assert_eq!(split_tags(" , "), Vec::<String>::new());
        assert_eq!(typed_tags("reply-all embargo"), "reply-all, embargo");
        assert_eq!(
            split_tags(&typed_tags("reply-all embargo")),
            ["reply-all", "embargo"]
        );
    }
}
