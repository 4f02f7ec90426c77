//! A deterministic synthetic corpus of reports: realistic lengths, a Zipf-distributed
//! vocabulary, and the real channels, factors and units.

use rand::{Rng, SeedableRng, rngs::StdRng};
use serde_json::json;

/// Words that open the frequency ranking, as in any English text.
const FUNCTION_WORDS: &[&str] = &[
    "the", "to", "a", "of", "and", "in", "was", "for", "on", "that", "it", "with", "as", "we",
    "by", "from", "at", "our", "this", "not", "be", "had", "were", "but", "they", "which", "an",
    "all", "there", "would", "so", "been", "when", "who", "what", "their", "one", "if", "about",
    "into", "after", "before", "then", "than", "only", "could", "also", "out", "up", "no",
];

/// The words of the domain, next in the ranking.
const DOMAIN_WORDS: &[&str] = &[
    "email",
    "list",
    "reply-all",
    "account",
    "post",
    "draft",
    "embargo",
    "figures",
    "press",
    "journalist",
    "team",
    "manager",
    "colleague",
    "citizens",
    "letter",
    "website",
    "page",
    "meeting",
    "agenda",
    "attachment",
    "spreadsheet",
    "minister",
    "statement",
    "tweet",
    "social",
    "media",
    "official",
    "personal",
    "intranet",
    "newsletter",
    "recipient",
    "autocomplete",
    "distribution",
    "schedule",
    "release",
    "error",
    "wrong",
    "sent",
    "published",
    "shared",
    "screen",
    "chat",
    "channel",
    "template",
    "version",
    "final",
    "comment",
    "tracked",
    "changes",
    "metadata",
    "photo",
    "location",
    "tone",
    "dismissive",
    "complaint",
    "parents",
    "residents",
    "council",
    "agency",
    "ministry",
    "department",
    "unit",
    "deadline",
    "pressure",
    "holiday",
    "cover",
    "handover",
    "approval",
    "review",
    "check",
    "guideline",
    "policy",
    "process",
    "tool",
    "setting",
    "default",
    "phone",
    "sms",
    "text",
    "group",
    "contact",
    "address",
    "name",
    "data",
    "privacy",
    "breach",
    "report",
    "budget",
    "consultation",
    "survey",
    "translation",
    "jargon",
    "accessibility",
    "caption",
    "image",
    "link",
    "document",
    "pdf",
    "form",
    "portal",
    "login",
    "password",
    "calendar",
    "invite",
    "forward",
    "thread",
    "subject",
    "signature",
    "quote",
    "headline",
    "interview",
    "spokesperson",
    "briefing",
    "crisis",
    "outage",
    "update",
    "notice",
    "deadline",
    "tax",
    "benefit",
    "school",
    "health",
    "vaccine",
    "water",
    "permit",
    "planning",
];

pub const CHANNELS: &[&str] = &[
    "email",
    "public_social",
    "internal_social",
    "website_intranet",
    "media_press",
    "meeting",
    "phone_sms",
    "document_letter",
    "other",
];
pub const IMPACTS: &[&str] = &["near_miss", "minor", "moderate", "serious"];
const FACTORS: &[&str] = &[
    "time_pressure",
    "interruptions",
    "fatigue",
    "new_to_role",
    "handover_gap",
    "no_review_step",
    "unclear_approval",
    "unclear_guideline",
    "embargo_process",
    "no_escalation_path",
    "autocomplete",
    "reply_all_default",
    "shared_accounts",
    "similar_names",
    "unsafe_defaults",
    "scheduled_publishing",
    "outdated_information",
    "draft_final_mixup",
    "hidden_metadata",
    "jargon",
    "missing_context",
    "hesitant_to_ask",
    "unclear_tone_norms",
    "public_pressure",
    "working_in_silos",
];
pub const UNITS: &[&str] = &[
    "Ministry of Health/Communications/Social media",
    "Ministry of Health/Communications/Press office",
    "Ministry of Health/Policy/Public health programmes",
    "Tax Agency/Customer service/Contact centre",
    "Tax Agency/Digital services/Web team",
    "Tax Agency/Communications",
    "City Council/Mayor's office",
    "City Council/Social services/Family support",
    "City Council/Communications/Web and intranet",
    "Environment Agency/Field operations",
    "Environment Agency/Communications/Press office",
];

const VOCABULARY: usize = 30_000;
const ZIPF_EXPONENT: f64 = 1.07;

/// Words by frequency rank, and the cumulative Zipf weights to draw them by.
pub struct Vocabulary {
    pub words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Vocabulary {
    pub fn new() -> Self {
        let mut words: Vec<String> = FUNCTION_WORDS
            .iter()
            .chain(DOMAIN_WORDS)
            .map(|w| (*w).to_owned())
            .collect();
        // The long tail: pronounceable made-up words, the same on every run.
        const ONSETS: &[&str] = &[
            "b", "c", "d", "f", "g", "l", "m", "n", "p", "r", "s", "t", "v", "br", "cl", "st",
            "tr", "pl",
        ];
        const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ea", "io"];
        const CODAS: &[&str] = &["", "n", "r", "s", "t", "l", "nd", "rk"];
        let mut n = 0usize;
        while words.len() < VOCABULARY {
            let mut word = String::new();
            let mut k = n;
            for _ in 0..(2 + n % 2) {
                word.push_str(ONSETS[k % ONSETS.len()]);
                k /= ONSETS.len();
                word.push_str(VOWELS[k % VOWELS.len()]);
                k /= VOWELS.len();
            }
            word.push_str(CODAS[n % CODAS.len()]);
            if !words.contains(&word) || words.len() > 5_000 {
                words.push(word);
            }
            n += 7919;
        }
        let mut total = 0.0;
        let cumulative = (1..=words.len())
            .map(|rank| {
                total += 1.0 / (rank as f64).powf(ZIPF_EXPONENT);
                total
            })
            .collect();
        Self { words, cumulative }
    }

    /// A word drawn by Zipf's law.
    pub fn draw(&self, rng: &mut StdRng) -> &str {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let target = rng.random::<f64>() * total;
        let rank = self
            .cumulative
            .partition_point(|&c| c < target)
            .min(self.words.len() - 1);
        &self.words[rank]
    }

    fn sentence(&self, rng: &mut StdRng, words: usize) -> String {
        let mut text = String::with_capacity(words * 7);
        for i in 0..words {
            if i > 0 {
                text.push(' ');
            }
            text.push_str(self.draw(rng));
        }
        text.push('.');
        text
    }

    fn text(&self, rng: &mut StdRng, words: usize) -> String {
        let mut text = String::new();
        let mut left = words;
        while left > 0 {
            let n = rng.random_range(8..20).min(left);
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&self.sentence(rng, n));
            left -= n;
        }
        text
    }
}

/// The `n`-th report of the corpus as an import line; the same `n` always gives the same line.
pub fn report_line(vocabulary: &Vocabulary, n: u64) -> String {
    let mut rng = StdRng::seed_from_u64(0x6b696e7473756769 ^ n);
    let title_words = rng.random_range(5..10);
    let title = vocabulary.sentence(&mut rng, title_words);
    let narrative_words = rng.random_range(230..350);
    let narrative = vocabulary.text(&mut rng, narrative_words);
    let lesson_words = rng.random_range(15..40);
    let lesson = vocabulary.text(&mut rng, lesson_words);
    let factor_count = rng.random_range(0..4);
    let factors: Vec<&str> = (0..factor_count)
        .map(|_| FACTORS[rng.random_range(0..FACTORS.len())])
        .collect();
    let year = 2019 + rng.random_range(0..7);
    let month = rng.random_range(1..=12);
    json!({
        "title": title.trim_end_matches('.'),
        "narrative": narrative,
        "lesson": lesson,
        "channel": CHANNELS[rng.random_range(0..CHANNELS.len())],
        "impact": IMPACTS[rng.random_range(0..IMPACTS.len())],
        "factors": factors,
        "unit": UNITS[rng.random_range(0..UNITS.len())],
        "tags": [vocabulary.draw(&mut rng).to_lowercase()],
        "occurred_on": format!("{year}-{month:02}"),
    })
    .to_string()
}
