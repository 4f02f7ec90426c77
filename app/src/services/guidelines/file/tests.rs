//! Reading and writing guideline files: the shape, the errors by line, the round trip.

use super::*;

const EMAIL: &str = "# Email\n\nOwner: Head of communications\n\nHow we write email.\n\n\
## Use Bcc for external lists\n\nPut external recipients in **Bcc**.\n\n### Why\n\nReplies.\n\n\
## Check the attachment {#attachments}\n\nOpen it before sending.\n";

fn errors(text: &str) -> Vec<String> {
    match parse(text) {
        Ok(file) => panic!("{text:?} was read as {file:?}"),
        Err(error) => error
            .field_errors()
            .iter()
            .map(|e| format!("{}: {}", e.field, e.reason))
            .collect(),
    }
}

#[test]
fn a_file_gives_title_owner_summary_and_sections() {
    let file = parse(EMAIL).ok();
    let file = file.as_ref();
    assert_eq!(file.map(|f| f.title.as_str()), Some("Email"));
    assert_eq!(
        file.map(|f| f.owner_role.as_str()),
        Some("Head of communications")
    );
    assert_eq!(
        file.map(|f| f.summary.as_str()),
        Some("How we write email.")
    );
    let sections: Vec<(&str, &str, usize)> = file
        .map(|f| {
            f.sections
                .iter()
                .map(|s| (s.anchor.as_str(), s.heading.as_str(), s.line))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        sections,
        [
            (
                "use-bcc-for-external-lists",
                "Use Bcc for external lists",
                7
            ),
            ("attachments", "Check the attachment", 15)
        ]
    );
    assert_eq!(
        file.map(|f| f.sections[0].markdown.as_str()),
        Some("Put external recipients in **Bcc**.\n\n### Why\n\nReplies.")
    );
}

#[test]
fn a_rendered_file_reads_back_the_same() {
    let Ok(mut file) = parse(EMAIL) else {
        panic!("the sample did not parse")
    };
    file.slug = Some("email".to_owned());
    let written = render(&file);
    assert_eq!(parse(&written).ok(), Some(file.clone()));
    assert!(written.starts_with("# Email {#email}\n\nOwner: Head of communications\n\n"));
    assert_eq!(render(&parse(&written).unwrap_or_default()), written);
}

#[test]
fn a_file_without_a_title_is_refused_on_line_one() {
    assert_eq!(
        errors("## Just a section\n\nText.\n"),
        [
            "line 1: there is no # title: the file starts with the guideline's title as a `# Title` line"
        ]
    );
    assert_eq!(errors("").len(), 1);
}

#[test]
fn problems_are_named_by_their_line_all_at_once() {
    let text = "# Email\n\nIntro.\n\n#### Too deep\n\n## One\n\nText <script>x</script>\n\n\
## One\n\n[x](javascript:alert(1))\n\n## Two\n\n#### Skipped\n";
    let found = errors(text);
    assert_eq!(found.len(), 5, "{found:?}");
    assert!(
        found[0].starts_with("line 5: heading level skipped: #### follows #"),
        "{found:?}"
    );
    assert!(found[1].starts_with("line 9: raw HTML"), "{found:?}");
    assert!(
        found[2].starts_with("line 11: the anchor 'one' is already used by the section on line 7"),
        "{found:?}"
    );
    assert!(
        found[3].starts_with("line 13: links may not use `javascript:`"),
        "{found:?}"
    );
    assert!(
        found[4].starts_with("line 17: heading level skipped: #### follows ##"),
        "{found:?}"
    );
}

#[test]
fn other_misplaced_headings_are_refused() {
    assert!(errors("Preamble\n\n# Title\n")[0].starts_with("line 1: text comes before"));
    assert!(errors("# A\n\n# B\n")[0].starts_with("line 3: a second # title"));
    assert!(errors("# A\n\n## !!!\n")[0].starts_with("line 3: this heading gives no anchor"));
    assert!(
        errors("# A\n\n## B {#Bad_Anchor}\n")[0]
            .starts_with("line 3: 'Bad_Anchor' is not an anchor")
    );
}

#[test]
fn headings_in_quotes_and_code_stay_in_the_section() {
    let text = "# A\n\n## B\n\n```\n## not a heading\n```\n";
    let file = parse(text).ok();
    assert_eq!(file.map(|f| f.sections.len()), Some(1));
}
