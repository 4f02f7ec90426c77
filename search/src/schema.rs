//! The index schema, with its field handles resolved once.

use tantivy::schema::{
    FAST, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};

use crate::analyzer::{ANALYZER, PAIRS, WORDS};

/// Bump whenever the schema, the analyzers or what goes into a field change: an index of
/// another version is rebuilt from the database on start.
pub const SCHEMA_VERSION: u32 = 5;

#[derive(Clone, Copy, Debug)]
pub struct Fields {
    pub report_ref: Field,
    pub title: Field,
    pub narrative: Field,
    pub lesson: Field,
    pub what_helped: Field,
    pub keywords: Field,
    pub tags: Field,
    pub context: Field,
    /// Every text field of a lesson in one, for deciding what matches: one posting list
    /// per word instead of seven. It is never scored; the fields above rank.
    pub all: Field,
    /// The pairs of neighbouring words in `all` of which one is common, for finding
    /// phrases of common words (see [`crate::analyzer`]'s pairs). Never scored.
    pub pairs: Field,
    pub spelling: Field,
    pub channel: Field,
    pub audience: Field,
    pub impact: Field,
    pub factor: Field,
    pub category: Field,
    pub unit: Field,
    pub tag: Field,
    pub month: Field,
    /// `lesson` or `guideline`: what a document is.
    pub kind: Field,
    /// A section's `slug#anchor`, its key in the index.
    pub section: Field,
    /// A section's guideline slug, to remove a whole guideline's sections at once.
    pub guideline: Field,
    pub anchor: Field,
    pub guideline_title: Field,
    pub heading: Field,
    pub section_text: Field,
}

impl Fields {
    /// The text fields with their BM25 boosts: a title says most, a lesson is the point; what
    /// a lesson is labelled with (tags, factors, channel, unit) counts, for less.
    pub fn text_with_boosts(&self) -> [(Field, f32); 7] {
        [
            (self.title, 3.0),
            (self.lesson, 1.5),
            (self.narrative, 1.0),
            (self.what_helped, 1.0),
            (self.tags, 0.8),
            (self.keywords, 0.6),
            (self.context, 0.4),
        ]
    }

    pub fn from_schema(schema: &Schema) -> tantivy::Result<Self> {
        let field = |name: &str| schema.get_field(name);
        Ok(Self {
            report_ref: field("ref")?,
            title: field("title")?,
            narrative: field("narrative")?,
            lesson: field("lesson")?,
            what_helped: field("what_helped")?,
            keywords: field("keywords")?,
            tags: field("tags")?,
            context: field("context")?,
            all: field("all")?,
            pairs: field("pairs")?,
            spelling: field("spelling")?,
            channel: field("channel")?,
            audience: field("audience")?,
            impact: field("impact")?,
            factor: field("factor")?,
            category: field("category")?,
            unit: field("unit")?,
            tag: field("tag")?,
            month: field("month")?,
            kind: field("kind")?,
            section: field("section")?,
            guideline: field("guideline")?,
            anchor: field("anchor")?,
            guideline_title: field("guideline_title")?,
            heading: field("heading")?,
            section_text: field("section_text")?,
        })
    }
}

pub fn build() -> Schema {
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let mut builder = Schema::builder();
    builder.add_text_field("ref", STRING | STORED);
    builder.add_text_field("title", text.clone());
    builder.add_text_field("narrative", text.clone());
    builder.add_text_field("lesson", text.clone());
    builder.add_text_field("what_helped", text.clone());
    builder.add_text_field("keywords", text.clone());
    builder.add_text_field("tags", text.clone());
    builder.add_text_field("context", text.clone());
    // Each text is a value of its own: tantivy leaves a position between values, so a
    // phrase never runs from one field into the next.
    builder.add_text_field("all", matching_only(ANALYZER));
    builder.add_text_field("pairs", matching_only(PAIRS));
    // Sections have text fields of their own, which lesson searches never read: a lesson
    // query cannot match a section, and lessons' spelling suggestions stay the lessons' own.
    builder.add_text_field("guideline_title", text.clone());
    builder.add_text_field("heading", text.clone());
    builder.add_text_field("section_text", text);
    builder.add_text_field("section", STRING | STORED);
    builder.add_text_field("guideline", STRING | STORED);
    builder.add_text_field("anchor", STORED);
    // Words as written, for suggesting spellings: no positions, no stored text.
    builder.add_text_field(
        "spelling",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(WORDS)
                .set_index_option(IndexRecordOption::Basic),
        ),
    );
    for facet in [
        "channel", "audience", "impact", "factor", "category", "unit", "tag", "kind",
    ] {
        builder.add_facet_field(facet, FacetOptions::default());
    }
    builder.add_u64_field("month", INDEXED | FAST);
    builder.build()
}

/// A field that decides what matches and never ranks: positions for phrases, no norms (it
/// is never scored), nothing stored.
fn matching_only(tokenizer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions)
            .set_fieldnorms(false),
    )
}
