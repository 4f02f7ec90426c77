//! Test texts: words drawn unevenly from a small vocabulary, so that some are common and some
//! rare, and phrases of common words recur.

pub(crate) struct Words {
    state: u64,
    vocabulary: u64,
}

impl Words {
    /// Words `w0` to `w{vocabulary - 1}`, the low ones the most common, drawn from `seed`.
    pub(crate) fn new(seed: u64, vocabulary: u64) -> Self {
        Self {
            state: seed,
            vocabulary,
        }
    }

    fn next(&mut self) -> String {
        self.state = self
            .state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let a = (self.state >> 33) % self.vocabulary;
        let b = (self.state >> 17) % self.vocabulary;
        format!("w{}", a * b / self.vocabulary)
    }

    pub(crate) fn text(&mut self, words: usize) -> String {
        (0..words)
            .map(|_| self.next())
            .collect::<Vec<_>>()
            .join(" ")
    }
}
