//! A report's terms as stored between runs, so that detection never reads the text again:
//! each term once, in the order the text first wrote it, as the words it was written with.
//!
//! The bytes are a format byte, the report's distinct words (lower-cased, in order of first
//! use), then each term as the numbers of its one to three words in that list. Stems are not
//! stored: the analyzer that wrote the set (its [`Words::analyzer_version`]) gives them again.

use rustc_hash::{FxHashMap, FxHashSet};

use super::words::{ID_BITS, Key, Words, Written, unpack};

/// Bumped when the layout of the bytes changes; part of the analyzer's version.
pub(crate) const FORMAT: u8 = 1;

/// The terms of one report's published text, ready to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TermSet(Vec<u8>);

impl TermSet {
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }
}

/// The set of the terms `found` (in text order, repeats allowed).
pub(crate) fn encode(words: &Words, found: &[(Key, Written)]) -> TermSet {
    let mut seen: FxHashSet<Key> = FxHashSet::default();
    let mut local: FxHashMap<u32, u64> = FxHashMap::default();
    let mut table: Vec<u32> = Vec::new();
    let mut terms = Vec::with_capacity(found.len() * 2);
    let mut count = 0u64;
    for (key, written) in found {
        if !seen.insert(*key) {
            continue;
        }
        count += 1;
        let length = unpack(u128::from(*written)).count() as u64;
        for (i, word) in unpack(u128::from(*written)).enumerate() {
            let number = *local.entry(word).or_insert_with(|| {
                table.push(word);
                table.len() as u64 - 1
            });
            // The first number carries how many words follow it.
            push_varint(
                &mut terms,
                if i == 0 { number * 4 + length } else { number },
            );
        }
    }
    let mut bytes = Vec::with_capacity(terms.len() + table.len() * 8 + 8);
    bytes.push(FORMAT);
    push_varint(&mut bytes, table.len() as u64);
    for word in table {
        let surface = words.surface_of(word);
        push_varint(&mut bytes, surface.len() as u64);
        bytes.extend_from_slice(surface.as_bytes());
    }
    push_varint(&mut bytes, count);
    bytes.extend_from_slice(&terms);
    TermSet(bytes)
}

/// Reads a term set into `found`, in its order; `None` when the bytes are not one this
/// analyzer could have written (then `found` holds part of it).
pub(crate) fn decode(
    words: &mut Words,
    bytes: &[u8],
    found: &mut Vec<(Key, Written)>,
) -> Option<()> {
    let mut reader = Reader { bytes, at: 0 };
    if reader.byte()? != FORMAT {
        return None;
    }
    let count = reader.length()?;
    let mut table = Vec::with_capacity(count);
    for _ in 0..count {
        let length = reader.length()?;
        let surface = std::str::from_utf8(reader.take(length)?).ok()?;
        let word = words.word(surface);
        if word >= 1 << ID_BITS {
            return None;
        }
        table.push(u64::from(word));
    }
    let terms = reader.length()?;
    found.reserve(terms);
    for _ in 0..terms {
        let head = reader.varint()?;
        let length = (head % 4) as u32;
        if length == 0 {
            return None;
        }
        let mut written = *table.get(usize::try_from(head / 4).ok()?)?;
        for i in 1..length {
            let word = *table.get(usize::try_from(reader.varint()?).ok()?)?;
            written |= word << (ID_BITS * i);
        }
        found.push((words.key_of_checked(written)?, written));
    }
    (reader.at == bytes.len()).then_some(())
}

fn push_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> Reader<'b> {
    fn byte(&mut self) -> Option<u8> {
        let byte = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(byte)
    }

    fn varint(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Some(value);
            }
        }
        None
    }

    /// A count or a length, which cannot exceed the bytes left.
    fn length(&mut self) -> Option<usize> {
        let value = usize::try_from(self.varint()?).ok()?;
        (value <= self.bytes.len() - self.at).then_some(value)
    }

    fn take(&mut self, length: usize) -> Option<&'b [u8]> {
        let taken = self.bytes.get(self.at..self.at + length)?;
        self.at += length;
        Some(taken)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::Collection;

    const TEXT: &str = "We hit Reply-all on the distribution list. The distribution lists \
                        went out; reply to all again, and the Bcc field stayed empty.";

    #[test]
    fn a_stored_term_set_reads_back_as_its_text_would() {
        let mut words = Words::new();
        let stored = words.term_set(TEXT);
        let mut from_text = Collection::new();
        let mut from_set = Collection::new();
        for collection in [&mut from_text, &mut from_set] {
            collection.add_report("r0", "The bcc field again, on another list.", &[], None);
        }
        from_text.add_report("r1", TEXT, &[], None);
        assert_eq!(
            from_set.add_term_set("r1", stored.as_bytes(), &[], None),
            Some(1)
        );
        assert_eq!(from_text.term_count(), from_set.term_count());
        let terms = |c: &Collection| -> Vec<(String, Option<String>)> {
            (0..c.term_count() as u32)
                .map(|t| (c.key(t), c.surface_in(1, t)))
                .collect()
        };
        assert_eq!(terms(&from_text), terms(&from_set));
        assert!(terms(&from_set).contains(&("repli all".into(), Some("reply-all".into()))));
    }

    #[test]
    fn damaged_bytes_are_refused_whole() {
        let mut words = Words::new();
        let stored = words.term_set(TEXT).into_bytes();
        let mut collection = Collection::new();
        for cut in 0..stored.len() {
            assert_eq!(
                collection.add_term_set("r", &stored[..cut], &[], None),
                None
            );
        }
        let mut other_format = stored.clone();
        other_format[0] = FORMAT + 1;
        let mut longer = stored.clone();
        longer.push(0);
        for bytes in [
            other_format,
            longer,
            vec![FORMAT, 0xff, 0xff, 0xff, 0xff, 0x7f],
        ] {
            assert_eq!(collection.add_term_set("r", &bytes, &[], None), None);
        }
        assert!(collection.is_empty());
        assert_eq!(collection.term_count(), 0);
    }
}
