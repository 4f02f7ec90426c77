//! Bad input on the guideline pages: refused beside its field, the text kept, nothing
//! stored.

use kintsugi::services::{accounts::Role, guidelines};
use kintsugi_tests::each_backend;

use super::{BCC, email_guideline, page, send};

#[tokio::test]
async fn bad_input_comes_back_with_the_text_kept_and_nothing_stored() -> anyhow::Result<()> {
    each_backend(async |app| {
        email_guideline(&app).await?;
        let owner = app.staff("po.licy", Role::PolicyOwner).await?;
        let kept = "A new rule the owner spent a while writing.";
        let cases: [(&[(&str, &str)], &str); 4] = [
            (
                &[
                    ("heading", "Use BCC"),
                    ("markdown", kept),
                    ("rationale", "  "),
                ],
                "Say why the guideline changes",
            ),
            (
                &[
                    ("heading", "Use BCC"),
                    ("markdown", "Fine first line.\n<script>alert(1)</script>"),
                    ("rationale", "Because."),
                ],
                "line 2: raw HTML is not allowed",
            ),
            (
                &[
                    ("heading", "Use BCC"),
                    ("markdown", kept),
                    ("rationale", "Because."),
                    ("effective_from", "15/01/2026"),
                ],
                "is not a date: write YYYY-MM-DD",
            ),
            (
                &[
                    ("heading", "Use BCC"),
                    ("markdown", kept),
                    ("rationale", "Because."),
                    ("evidence", "not-a-lesson"),
                ],
                "is not a lesson&#x27;s reference",
            ),
        ];
        for (form, error) in cases {
            let (status, _, body) = send(&app, &owner, BCC, form).await?;
            assert_eq!(status, 422, "{error}: {body}");
            assert!(body.contains(error), "{error} in {body}");
            assert!(body.contains("Nothing you wrote has been lost."), "{body}");
            let markdown = form.iter().find(|(k, _)| *k == "markdown").map(|(_, v)| *v);
            let shown = markdown
                .unwrap_or_default()
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            assert!(body.contains(&shown), "the text is kept: {body}");
            assert!(!body.contains("<script>alert(1)</script>"), "{body}");
        }
        // A new section whose heading makes an address in use is refused, not made an edit.
        let (status, _, body) = send(
            &app,
            &owner,
            "/guidelines/email/sections",
            &[
                ("heading", "Use BCC for external lists!"),
                ("markdown", kept),
                ("rationale", "New."),
            ],
        )
        .await?;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("which another section has"), "{body}");
        assert!(body.contains(kept), "{body}");
        // Moving the first section up says so beside the choice, with the reason kept.
        let (status, _, body) = send(
            &app,
            &owner,
            &format!("{BCC}/move"),
            &[("direction", "up"), ("rationale", "Reasons kept here.")],
        )
        .await?;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains(r##"href="#move-direction""##), "{body}");
        assert!(
            body.contains("This section is already the first."),
            "{body}"
        );
        assert!(body.contains(">Reasons kept here.</textarea>"), "{body}");
        // A revision that is not one is named beside its field.
        let (status, diff) = page(&app, "/guidelines/email/diff?from=0&to=1", None).await?;
        assert_eq!(status, 422, "{diff}");
        assert!(diff.contains("Choose a revision from 1 to 1"), "{diff}");

        let listed = guidelines::list(&app.state.db).await?;
        assert_eq!(
            listed.first().map(|g| g.revision),
            Some(1),
            "nothing was stored"
        );
        Ok(())
    })
    .await
}
