//! What identifies an analyzer's output, so that term sets stored by another one are
//! computed again: the code's own version and a fingerprint of the data it works with.

/// Bumped whenever the code changes what a text's terms are (how it is split, classified
/// or paired), so that the term sets stored by the previous code are computed again.
pub(crate) const ANALYZER_CODE: u32 = 1;

/// FNV-1a over bytes, each piece ended by a zero: the same on every build and platform.
pub(crate) struct Fingerprint(u64);

impl Fingerprint {
    pub fn new() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }

    pub fn add(&mut self, bytes: &[u8]) {
        for byte in bytes.iter().chain([&0]) {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    pub fn value(&self) -> i64 {
        i64::from_le_bytes(self.0.to_le_bytes())
    }
}
