//! Opening the index on disk, applying changes, and remembering how far it got.
//!
//! Each commit carries a payload with the schema version and the id of the last outbox row it
//! includes. The index and that id change together, atomically, so after a crash the app
//! resumes from exactly the right row.

use std::{
    path::{Path, PathBuf},
    sync::{Arc, Mutex, RwLock},
};

use serde::{Deserialize, Serialize};
use tantivy::{
    Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, TantivyDocument, Term,
    schema::Facet, tokenizer::TokenizerManager,
};

use crate::{
    analyzer,
    directory::IndexDirectory,
    document::{Change, IndexedReport, IndexedSection},
    error::{Error, Result},
    facets::FacetNames,
    schema::{self, Fields, SCHEMA_VERSION},
    sections::LESSON,
    thesaurus::Thesaurus,
};

/// Memory for the writer's in-flight segments, shared by its threads.
const WRITER_MEMORY: usize = 64 * 1024 * 1024;

/// Decompressed blocks of stored text kept per segment.
const DOC_STORE_CACHE_BLOCKS: usize = 20;

#[derive(Debug, Default, Serialize, Deserialize)]
struct Payload {
    schema_version: u32,
    outbox_id: i64,
}

/// How the index was found on opening.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Opened {
    /// An index of this schema, up to date with the outbox up to this id.
    Existing { outbox_id: i64 },
    /// A new, empty index; `reason` says why the old one (if any) was not used.
    Created { reason: String },
}

pub struct SearchIndex {
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    writer: Mutex<IndexWriter>,
    pub(crate) fields: Fields,
    pub(crate) query_tokenizers: TokenizerManager,
    pub(crate) facet_names: Arc<FacetNames>,
    /// Applied to queries; replaced whole when an admin edits it.
    thesaurus: RwLock<Arc<Thesaurus>>,
    dir: PathBuf,
}

impl SearchIndex {
    /// Opens the index in `dir`, or creates a new one when it is missing, unreadable or of
    /// another schema version. The caller rebuilds a created index from the database.
    pub fn open(dir: &Path) -> Result<(Self, Opened)> {
        let existing = if dir.join("meta.json").exists() {
            match Self::try_open(dir) {
                Ok(index) => match index.payload() {
                    Ok(payload) if payload.schema_version == SCHEMA_VERSION => {
                        return Ok((
                            index,
                            Opened::Existing {
                                outbox_id: payload.outbox_id,
                            },
                        ));
                    }
                    Ok(payload) => format!(
                        "the index has schema version {}, this program needs {SCHEMA_VERSION}",
                        payload.schema_version
                    ),
                    Err(e) => format!("the index's commit payload is unreadable: {e}"),
                },
                // Another process holds the index: never touch it.
                Err(Error::Locked) => return Err(Error::Locked),
                Err(e) => format!("the index could not be opened: {e}"),
            }
        } else {
            "there was no index yet".to_owned()
        };
        if dir.exists() {
            std::fs::remove_dir_all(dir)?;
        }
        std::fs::create_dir_all(dir)?;
        let index = Index::create(
            IndexDirectory::open(dir).map_err(tantivy::TantivyError::from)?,
            schema::build(),
            IndexSettings::default(),
        )?;
        let opened = Self::wrap(index, dir)?;
        opened.commit(0)?;
        Ok((opened, Opened::Created { reason: existing }))
    }

    fn try_open(dir: &Path) -> Result<Self> {
        let index = Index::open(IndexDirectory::open(dir).map_err(tantivy::TantivyError::from)?)?;
        Self::wrap(index, dir)
    }

    fn wrap(mut index: Index, dir: &Path) -> Result<Self> {
        index.set_tokenizers(analyzer::index_tokenizers());
        let fields = Fields::from_schema(&index.schema())?;
        let writer = index.writer(WRITER_MEMORY).map_err(|e| match e {
            tantivy::TantivyError::LockFailure(..) => Error::Locked,
            other => Error::Tantivy(other),
        })?;
        let reader = index
            .reader_builder()
            // Commits reload readers explicitly; this also picks up background merges.
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            // A page of results reads ten documents from as many blocks, rarely the blocks
            // of the search before; tantivy's default keeps a hundred per segment.
            .doc_store_cache_num_blocks(DOC_STORE_CACHE_BLOCKS)
            .try_into()?;
        Ok(Self {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
            query_tokenizers: analyzer::query_tokenizers(),
            facet_names: Arc::default(),
            thesaurus: RwLock::default(),
            dir: dir.to_path_buf(),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Replaces the thesaurus that searches from now on apply.
    pub fn set_thesaurus(&self, thesaurus: Thesaurus) {
        let thesaurus = Arc::new(thesaurus);
        match self.thesaurus.write() {
            Ok(mut current) => *current = thesaurus,
            Err(poisoned) => *poisoned.into_inner() = thesaurus,
        }
    }

    /// The thesaurus searches apply now.
    pub fn thesaurus(&self) -> Arc<Thesaurus> {
        match self.thesaurus.read() {
            Ok(current) => Arc::clone(&current),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    fn payload(&self) -> Result<Payload> {
        match self.index.load_metas()?.payload {
            Some(text) => Ok(serde_json::from_str(&text)?),
            None => Ok(Payload::default()),
        }
    }

    /// The id of the last outbox row the committed index includes.
    pub fn applied_outbox_id(&self) -> Result<i64> {
        Ok(self.payload()?.outbox_id)
    }

    /// How many segments readers see; fewer after background merges.
    pub fn segment_count(&self) -> usize {
        self.reader.searcher().segment_readers().len()
    }

    /// How many reports the index holds, as readers see it.
    pub fn num_docs(&self) -> u64 {
        self.lesson_count(&self.reader.searcher())
    }

    /// Applies changes and commits them together with the id of the last outbox row they
    /// come from. Readers see the result as soon as this returns.
    pub fn apply(&self, changes: &[Change], outbox_id: i64) -> Result<()> {
        self.stage(changes)?;
        self.commit(outbox_id)
    }

    /// Applies changes without committing: the next [`commit`](Self::commit) includes them.
    /// Staging a change twice does no harm: an upsert replaces every earlier copy.
    pub fn stage(&self, changes: &[Change]) -> Result<()> {
        let writer = self.writer.lock().map_err(|_| Error::Poisoned)?;
        for change in changes {
            match change {
                Change::Upsert(report) => {
                    writer.delete_term(self.ref_term(&report.report_ref));
                    writer.add_document(self.document(report))?;
                }
                Change::Remove(report_ref) => {
                    writer.delete_term(self.ref_term(report_ref));
                }
                Change::Section(section) => {
                    writer.delete_term(self.section_term(&section.guideline, &section.anchor));
                    if !section.retired {
                        writer.add_document(self.section_document(section))?;
                    }
                }
                Change::RemoveSection { guideline, anchor } => {
                    writer.delete_term(self.section_term(guideline, anchor));
                }
                Change::RemoveGuideline(slug) => {
                    writer.delete_term(Term::from_field_text(self.fields.guideline, slug));
                }
            }
        }
        Ok(())
    }

    /// Empties the index (uncommitted until the next [`commit`](Self::commit)), for a rebuild.
    pub fn clear(&self) -> Result<()> {
        let writer = self.writer.lock().map_err(|_| Error::Poisoned)?;
        writer.delete_all_documents()?;
        Ok(())
    }

    /// Adds reports without committing, for a rebuild.
    pub fn add(&self, reports: &[IndexedReport]) -> Result<()> {
        let writer = self.writer.lock().map_err(|_| Error::Poisoned)?;
        for report in reports {
            writer.add_document(self.document(report))?;
        }
        Ok(())
    }

    /// Adds sections without committing, for a rebuild; retired ones are left out.
    pub fn add_sections(&self, sections: &[IndexedSection]) -> Result<()> {
        let writer = self.writer.lock().map_err(|_| Error::Poisoned)?;
        for section in sections.iter().filter(|s| !s.retired) {
            writer.add_document(self.section_document(section))?;
        }
        Ok(())
    }

    /// Commits everything added so far, recording `outbox_id` as applied, and reloads readers.
    pub fn commit(&self, outbox_id: i64) -> Result<()> {
        let payload = serde_json::to_string(&Payload {
            schema_version: SCHEMA_VERSION,
            outbox_id,
        })?;
        {
            let mut writer = self.writer.lock().map_err(|_| Error::Poisoned)?;
            let mut prepared = writer.prepare_commit()?;
            prepared.set_payload(&payload);
            prepared.commit()?;
        }
        self.reader.reload()?;
        Ok(())
    }

    fn ref_term(&self, report_ref: &str) -> Term {
        Term::from_field_text(self.fields.report_ref, report_ref)
    }

    fn document(&self, report: &IndexedReport) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_facet(f.kind, Facet::from_path([LESSON]));
        doc.add_text(f.report_ref, &report.report_ref);
        doc.add_text(f.title, &report.title);
        doc.add_text(f.narrative, &report.narrative);
        doc.add_text(f.lesson, &report.lesson);
        doc.add_text(f.what_helped, &report.what_helped);
        doc.add_text(f.keywords, &report.keywords);
        let tags = report.tags.join(" ");
        doc.add_text(f.tags, &tags);
        let context = format!("{} {}", report.context, report.unit.join(" "));
        doc.add_text(f.context, &context);
        for text in [
            report.title.as_str(),
            &report.lesson,
            &report.what_helped,
            &report.keywords,
            &tags,
            &context,
        ] {
            doc.add_text(f.spelling, text);
            doc.add_text(f.all, text);
            doc.add_text(f.pairs, text);
        }
        doc.add_text(f.all, &report.narrative);
        doc.add_text(f.pairs, &report.narrative);
        let single = |doc: &mut TantivyDocument, field, value: &Option<String>| {
            if let Some(value) = value {
                doc.add_facet(field, Facet::from_path([value.as_str()]));
            }
        };
        single(&mut doc, f.channel, &report.channel);
        single(&mut doc, f.audience, &report.audience);
        single(&mut doc, f.impact, &report.impact);
        for factor in &report.factors {
            doc.add_facet(f.factor, Facet::from_path([factor.as_str()]));
        }
        for category in &report.categories {
            doc.add_facet(f.category, Facet::from_path([category.as_str()]));
        }
        if !report.unit.is_empty() {
            doc.add_facet(
                f.unit,
                Facet::from_path(report.unit.iter().map(String::as_str)),
            );
        }
        for tag in &report.tags {
            doc.add_facet(f.tag, Facet::from_path([tag.as_str()]));
        }
        doc.add_u64(f.month, u64::from(report.month));
        doc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(report_ref: &str, title: &str) -> IndexedReport {
        IndexedReport {
            report_ref: report_ref.into(),
            title: title.into(),
            narrative: "narrative".into(),
            month: 202601,
            ..Default::default()
        }
    }

    #[test]
    fn the_outbox_position_survives_reopening() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("index");
        {
            let (index, opened) = SearchIndex::open(&path)?;
            assert!(matches!(opened, Opened::Created { .. }));
            index.apply(&[Change::Upsert(Box::new(report("aaaaaaaaaa", "one")))], 7)?;
            index.apply(
                &[
                    Change::Upsert(Box::new(report("aaaaaaaaaa", "one again"))),
                    Change::Upsert(Box::new(report("bbbbbbbbbb", "two"))),
                ],
                9,
            )?;
            assert_eq!(index.num_docs(), 2, "an upsert replaces, never duplicates");
        }
        let (index, opened) = SearchIndex::open(&path)?;
        assert_eq!(opened, Opened::Existing { outbox_id: 9 });
        index.apply(&[Change::Remove("aaaaaaaaaa".into())], 10)?;
        assert_eq!(index.num_docs(), 1);
        Ok(())
    }

    #[test]
    fn a_busy_index_is_left_alone() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("index");
        let (first, _) = SearchIndex::open(&path)?;
        first.apply(&[Change::Upsert(Box::new(report("aaaaaaaaaa", "kept")))], 3)?;
        assert!(matches!(SearchIndex::open(&path), Err(Error::Locked)));
        assert_eq!(first.num_docs(), 1);
        drop(first);
        let (reopened, opened) = SearchIndex::open(&path)?;
        assert_eq!(opened, Opened::Existing { outbox_id: 3 });
        assert_eq!(reopened.num_docs(), 1);
        Ok(())
    }

    #[test]
    fn an_index_of_an_older_schema_is_replaced() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("index");
        {
            let (index, _) = SearchIndex::open(&path)?;
            index.apply(&[Change::Upsert(Box::new(report("aaaaaaaaaa", "old")))], 4)?;
        }
        let meta = std::fs::read_to_string(path.join("meta.json"))?;
        let older = meta.replace(
            &format!("schema_version\\\":{SCHEMA_VERSION}"),
            &format!("schema_version\\\":{}", SCHEMA_VERSION - 1),
        );
        assert_ne!(meta, older, "the payload is where the test expects it");
        std::fs::write(path.join("meta.json"), older)?;
        let (index, opened) = SearchIndex::open(&path)?;
        assert!(
            matches!(opened, Opened::Created { ref reason } if reason.contains("schema version")),
            "{opened:?}"
        );
        assert_eq!(index.num_docs(), 0, "emptied, for the app to rebuild");
        Ok(())
    }

    #[test]
    fn a_corrupt_index_is_replaced_by_a_new_one() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("index");
        drop(SearchIndex::open(&path)?);
        std::fs::write(path.join("meta.json"), b"{ not json")?;
        let (index, opened) = SearchIndex::open(&path)?;
        assert!(matches!(opened, Opened::Created { .. }), "{opened:?}");
        assert_eq!(index.applied_outbox_id()?, 0);
        Ok(())
    }
}
