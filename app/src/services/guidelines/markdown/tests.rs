//! Hostile and ordinary section texts: what is refused, and what rendering lets through.

use super::*;

/// Texts that must be refused, each with a word the reason must contain.
const REFUSED: &[(&str, &str)] = &[
    ("<script>alert(1)</script>", "raw HTML"),
    ("Hello <b onclick=\"alert(1)\">there</b>", "raw HTML"),
    ("<img src=x onerror=alert(1)>", "raw HTML"),
    ("<iframe src=\"https://example.org\"></iframe>", "raw HTML"),
    (
        "Text\n\n<div style=\"display:none\">hidden</div>",
        "raw HTML",
    ),
    ("<!-- a comment -->", "raw HTML"),
    ("[click](javascript:alert(1))", "javascript:"),
    ("[click](JavaScript:alert(1))", "javascript:"),
    ("[click](<java\tscript:alert(1)>)", "javascript:"),
    ("[click](&#106;avascript:alert(1))", "javascript:"),
    ("<javascript:alert(1)>", "javascript:"),
    ("[click](data:text/html;base64,PHNjcmlwdD4=)", "data:"),
    ("![pixel](data:image/png;base64,AAAA)", "data:"),
    ("[click](vbscript:msgbox)", "vbscript:"),
    ("[ref][x]\n\n[x]: javascript:alert(1)", "javascript:"),
    ("# A title inside a section", "###"),
    ("## Another section", "###"),
    ("#### Too deep at once", "skipped"),
    ("Null \u{0} byte", "control character"),
];

#[test]
fn hostile_texts_are_refused_with_a_reason() {
    for (text, expected) in REFUSED {
        let found = problems(text);
        assert!(
            found.iter().any(|p| p.reason.contains(expected)),
            "{text:?} gave {found:?}, expected a reason with {expected:?}"
        );
        assert!(
            check("markdown", text).is_err(),
            "{text:?} passed the check"
        );
    }
}

#[test]
fn problems_name_their_line() {
    let text = "First line.\n\nSecond paragraph.\n\n<script>x</script>\n";
    let error = check("markdown", text).err().map(|e| e.to_string());
    assert_eq!(
        error.as_deref(),
        Some(
            "markdown: line 5: raw HTML is not allowed (`<script>x</script>`); write it in Markdown"
        )
    );
}

#[test]
fn a_megabyte_is_refused_by_size_before_anything_else() {
    let text = "word ".repeat(1024 * 1024 / 5 + 1);
    let error = check("markdown", &text).err().map(|e| e.to_string());
    assert!(
        error.is_some_and(|e| e.starts_with("markdown: is 104") && e.contains("64 KiB")),
        "a megabyte passed or was refused for another reason"
    );
    assert!(check("markdown", &"a".repeat(MAX_SECTION_BYTES)).is_ok());
}

#[test]
fn ordinary_markdown_passes_and_renders() {
    let text = "Use **Bcc** for external lists.\n\n### Why\n\n- one\n- two\n\n\
                See [the policy](https://intranet.example/policy), [a lesson](/reports/abc) \
                or [write](mailto:press@example.org).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
    assert_eq!(problems(text), []);
    let html = render(text);
    assert!(html.contains("<strong>Bcc</strong>"), "{html}");
    assert!(html.contains("<h3>Why</h3>"), "{html}");
    assert!(html.contains("<table>"), "{html}");
    assert!(
        html.contains(r#"<a href="https://intranet.example/policy" rel="noopener noreferrer">"#),
        "{html}"
    );
    assert!(html.contains(r#"href="/reports/abc""#), "{html}");
}

#[test]
fn a_colon_later_in_a_relative_link_is_not_a_scheme() {
    for dest in [
        "/search?q=a:b",
        "#top",
        "notes/2024:q3",
        "https://x.example",
        "tel:+3212",
    ] {
        assert_eq!(refused_scheme(dest), None, "{dest}");
    }
    assert_eq!(
        refused_scheme(" JAVASCRIPT:x").as_deref(),
        Some("javascript")
    );
}

#[test]
fn rendering_drops_what_the_check_would_refuse() {
    // Text stored before a rule existed is still rendered safely.
    for (text, _) in REFUSED {
        let html = render(text).to_lowercase();
        // The words may survive as plain text; no tag, attribute or link that runs them does.
        for forbidden in [
            "<script",
            "href=\"javascript",
            "href=\"vbscript",
            "href=\"data",
            "src=\"data",
            "onclick",
            "onerror",
            "<iframe",
            "style=",
            "<!--",
        ] {
            assert!(!html.contains(forbidden), "{text:?} rendered {html:?}");
        }
    }
}

#[test]
fn a_destination_with_a_space_is_no_link_at_all() {
    let html = render("[click](java\tscript:alert(1))");
    assert!(!html.contains("<a"), "{html}");
}

#[test]
fn line_numbers_count_from_one() {
    assert_eq!(line_at("a\nb\nc", 0), 1);
    assert_eq!(line_at("a\nb\nc", 2), 2);
    assert_eq!(line_at("a\nb\nc", 99), 3);
}
