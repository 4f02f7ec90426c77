//! Guideline changes as the trend report's page shows them: each with a line for the
//! measured effect on every pattern it cites, or a sentence saying why there is none.

use serde::Serialize;

use crate::services::trends::GuidelineChange;

/// A guideline change with the measured effect on each pattern it cites.
#[derive(Serialize)]
pub struct ChangeView {
    guideline: String,
    slug: String,
    revision: i32,
    change: String,
    effective_from: String,
    rationale: String,
    effects: Vec<EffectLine>,
    /// Why nothing was measured, as a sentence.
    unmeasured: Option<String>,
}

#[derive(Serialize)]
struct EffectLine {
    pattern_id: i32,
    pattern_title: String,
    verdict: &'static str,
    reading: String,
}

impl From<GuidelineChange> for ChangeView {
    fn from(g: GuidelineChange) -> Self {
        Self {
            effects: g
                .effects
                .into_iter()
                .map(|e| EffectLine {
                    pattern_id: e.pattern_id,
                    pattern_title: e.pattern_title,
                    verdict: e.effect.verdict.slug(),
                    reading: e.effect.reading,
                })
                .collect(),
            unmeasured: g.unmeasured.map(sentence),
            guideline: g.guideline,
            slug: g.slug,
            revision: g.revision,
            change: g.change,
            effective_from: g.effective_from,
            rationale: g.rationale,
        }
    }
}

/// "no pattern cited" as the page writes it: "No pattern cited."
fn sentence(words: &str) -> String {
    let mut chars = words.chars();
    chars.next().map_or_else(String::new, |first| {
        format!("{}{}.", first.to_uppercase(), chars.as_str())
    })
}
