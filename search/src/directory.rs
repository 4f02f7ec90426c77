//! The index's files on disk: memory-mapped, except the stored text.
//!
//! Search reads stored text a few kilobytes at a time at scattered places: the documents of
//! one page of results. Through a memory map, each such read faults in the 64 KB around it,
//! which then stay mapped in the server and count as its memory; at a million reports that
//! was a third of the server's resident set. Read with `pread`, only the block asked for is
//! copied, and the kernel's page cache keeps the file warm all the same. Postings and
//! positions are read in long runs, where a map is the right tool, and stay mapped.

use std::{
    fs::File,
    io,
    ops::Range,
    os::unix::fs::FileExt,
    path::{Path, PathBuf},
    sync::Arc,
};

use tantivy::{
    Directory,
    directory::{
        DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes, WatchCallback, WatchHandle,
        WritePtr,
        error::{DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError},
    },
};

/// Reads at most this long go through `pread`; longer ones (a merge copies a segment's stored
/// text wholesale) use the map, rather than a copy the size of the file.
const READ_AT_MOST: usize = 1 << 20;

#[derive(Clone, Debug)]
pub struct IndexDirectory {
    mapped: MmapDirectory,
    root: PathBuf,
}

impl IndexDirectory {
    pub fn open(root: &Path) -> Result<Self, OpenDirectoryError> {
        Ok(Self {
            mapped: MmapDirectory::open(root)?,
            root: root.to_path_buf(),
        })
    }
}

/// Whether a file holds stored documents: tantivy names a segment's files by what they hold.
fn holds_stored_text(path: &Path) -> bool {
    path.extension()
        .is_some_and(|extension| extension == "store")
}

impl Directory for IndexDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let mapped = self.mapped.get_file_handle(path)?;
        if !holds_stored_text(path) {
            return Ok(mapped);
        }
        let file = File::open(self.root.join(path))
            .map_err(|e| OpenReadError::wrap_io_error(e, path.to_path_buf()))?;
        Ok(Arc::new(ReadAt { file, mapped }))
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.mapped.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.mapped.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.mapped.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.mapped.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.mapped.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.mapped.sync_directory()
    }

    /// The map's own locking, which another process holding the index runs into.
    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.mapped.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.mapped.watch(watch_callback)
    }
}

/// A stored-text file, read with `pread`; its map serves the long reads.
#[derive(Debug)]
struct ReadAt {
    file: File,
    mapped: Arc<dyn FileHandle>,
}

impl tantivy::HasLen for ReadAt {
    fn len(&self) -> usize {
        self.mapped.len()
    }
}

impl FileHandle for ReadAt {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        if range.is_empty() || range.len() > READ_AT_MOST {
            return self.mapped.read_bytes(range);
        }
        let mut bytes = vec![0; range.len()];
        self.file.read_exact_at(&mut bytes, range.start as u64)?;
        Ok(OwnedBytes::new(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_text_reads_the_same_through_pread_as_through_the_map() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let content: Vec<u8> = (0..5_000u32).map(|n| (n % 251) as u8).collect();
        std::fs::write(dir.path().join("segment.store"), &content)?;
        std::fs::write(dir.path().join("segment.idx"), &content)?;
        let directory = IndexDirectory::open(dir.path()).map_err(io::Error::other)?;
        for name in ["segment.store", "segment.idx"] {
            let handle = directory
                .get_file_handle(Path::new(name))
                .map_err(io::Error::other)?;
            assert_eq!(handle.len(), content.len());
            for range in [0..0, 0..1, 17..4_096, 4_000..5_000, 0..5_000] {
                assert_eq!(
                    handle.read_bytes(range.clone())?.as_slice(),
                    &content[range.clone()],
                    "{name} {range:?}"
                );
            }
        }
        Ok(())
    }
}
