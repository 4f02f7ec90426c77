//! Random public refs and receipt codes, both in Crockford's base32 so that they read aloud
//! and type without ambiguity.

use rand::Rng;

use crate::error::AppError;

const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// Characters in a report ref: 50 random bits, plenty for an organisation's lifetime of
/// reports, and short enough for a URL.
const REF_LEN: usize = 10;

/// Characters in a receipt code: 28 × 5 = 140 random bits, above the 128 required.
pub const RECEIPT_LEN: usize = 28;

fn random_code(len: usize) -> String {
    let mut rng = rand::rng();
    (0..len)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// Characters in a session or API token: 52 × 5 = 260 random bits.
const SECRET_LEN: usize = 52;

/// A new random secret for a session cookie, an API token or a one-time password.
pub fn new_secret() -> String {
    random_code(SECRET_LEN)
}

/// A short random password a person can type once and then change.
pub fn new_password() -> String {
    let code = random_code(20);
    code.as_bytes()
        .chunks(5)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// SHA-256 of a high-entropy secret, in hex: how sessions and tokens are stored. A slow hash
/// would add nothing against guessing 260 random bits, and this one finds the row by index.
pub fn secret_digest(secret: &str) -> String {
    use sha2::{Digest, Sha256};
    hex(&Sha256::digest(secret.as_bytes()))
}

/// Bytes as lower-case hex: how digests and stored keys are written.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The bytes of [`hex`] text; `None` for anything else.
pub fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// A one-time token for a blank report form, so that sending it twice logs one report:
/// 26 × 5 = 130 random bits.
pub fn new_form_token() -> String {
    random_code(26)
}

/// A new random report ref. Not sequential, not derived from time.
pub fn new_report_ref() -> String {
    ReportRef::generate().into()
}

/// Whether `candidate` could be a report ref at all; anything else is a 404 without a query.
pub fn is_report_ref(candidate: &str) -> bool {
    ReportRef::parse(candidate).is_some()
}

/// A report's public ref, known to be well-formed: it is read once where it enters (an
/// address, a form field, a request body), so that no service sees a string that could not
/// name a report, and no query is made for one.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReportRef(String);

impl ReportRef {
    /// A new random ref. Not sequential, not derived from time.
    pub fn generate() -> Self {
        Self(random_code(REF_LEN))
    }

    /// The ref spelt by `candidate`, exactly: refs are written by the app, never typed
    /// from memory, so unlike receipt codes no case or look-alike is forgiven.
    pub fn parse(candidate: &str) -> Option<Self> {
        let valid = candidate.len() == REF_LEN && candidate.bytes().all(|b| ALPHABET.contains(&b));
        valid.then(|| Self(candidate.to_owned()))
    }

    /// The ref a person gave in the form field `field`: surrounding spaces are forgiven, as
    /// are the lesson's address or path pasted in place of the ref alone.
    pub fn from_field(field: &str, text: &str) -> Result<Self, AppError> {
        let text = text.trim().trim_end_matches('/');
        let last = text.rsplit('/').next().unwrap_or(text);
        Self::parse(last).ok_or_else(|| {
            AppError::invalid(
                field,
                format!("is not a lesson's reference: {REF_LEN} letters and digits, as in the lesson's address"),
            )
        })
    }

    /// The ref of a report read from the database. Only the app writes refs there, so one
    /// that is not well-formed is a fault of ours, not of the request.
    pub fn of_stored(id: &str) -> Result<Self, AppError> {
        Self::parse(id)
            .ok_or_else(|| AppError::Internal(format!("a stored report has the ref {id:?}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A string that is not a ref names no report: the same 404 as an unknown one, so that the
/// answer does not tell the two apart.
impl std::str::FromStr for ReportRef {
    type Err = AppError;

    fn from_str(candidate: &str) -> Result<Self, AppError> {
        Self::parse(candidate).ok_or(AppError::NotFound("report"))
    }
}

impl std::fmt::Display for ReportRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for ReportRef {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<ReportRef> for String {
    fn from(report_ref: ReportRef) -> Self {
        report_ref.0
    }
}

/// A receipt code in its canonical form: 28 lowercase base32 characters.
#[derive(Clone, PartialEq, Eq)]
pub struct ReceiptCode(String);

impl std::fmt::Debug for ReceiptCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReceiptCode(…)")
    }
}

impl ReceiptCode {
    pub fn generate() -> Self {
        Self(random_code(RECEIPT_LEN))
    }

    /// Reads a code as a person might type it: any case, with or without the dashes and
    /// spaces, and with the look-alikes O, I and L taken for 0, 1 and 1.
    pub fn parse(input: &str) -> Option<Self> {
        let canonical: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| match c.to_ascii_lowercase() {
                'o' => '0',
                'i' | 'l' => '1',
                other => other,
            })
            .collect();
        let valid =
            canonical.len() == RECEIPT_LEN && canonical.bytes().all(|b| ALPHABET.contains(&b));
        valid.then_some(Self(canonical))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code as shown to a person: upper case, in groups of four.
    pub fn display(&self) -> String {
        self.0
            .to_ascii_uppercase()
            .as_bytes()
            .chunks(4)
            .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
            .collect::<Vec<_>>()
            .join("-")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_refuses_garbage() {
        let bytes = [0u8, 1, 0xab, 0xff];
        assert_eq!(from_hex(&hex(&bytes)), Some(bytes.to_vec()));
        assert_eq!(from_hex("abc"), None);
        assert_eq!(from_hex("zz"), None);
        assert_eq!(from_hex("é1"), None);
    }

    #[test]
    fn a_displayed_receipt_parses_back() {
        let code = ReceiptCode::generate();
        let shown = code.display();
        assert_eq!(shown.len(), RECEIPT_LEN + RECEIPT_LEN / 4 - 1);
        assert_eq!(ReceiptCode::parse(&shown), Some(code.clone()));
        assert_eq!(
            ReceiptCode::parse(&shown.to_lowercase().replace('-', " ")),
            Some(code)
        );
    }

    #[test]
    fn look_alike_letters_are_forgiven() {
        let typed = "OOOO-IIII-LLLL-0000-1111-2222-3333";
        assert_eq!(
            ReceiptCode::parse(typed).map(|c| c.as_str().to_owned()),
            Some("0000111111110000111122223333".to_owned())
        );
    }

    #[test]
    fn wrong_lengths_and_letters_are_refused() {
        assert!(ReceiptCode::parse("ABCD").is_none());
        assert!(ReceiptCode::parse(&"u".repeat(RECEIPT_LEN)).is_none());
    }

    #[test]
    fn refs_are_random_and_well_formed() {
        let a = new_report_ref();
        let b = new_report_ref();
        assert!(is_report_ref(&a) && is_report_ref(&b));
        assert_ne!(a, b);
        assert!(!is_report_ref("../etc/passwd"));
    }

    #[test]
    fn a_ref_is_read_exactly_at_the_edge() {
        let generated = ReportRef::generate();
        assert_eq!(
            ReportRef::parse(generated.as_str()),
            Some(generated.clone())
        );
        assert_eq!(
            generated.to_string().parse::<ReportRef>().ok(),
            Some(generated)
        );
        for wrong in [
            "",
            "abcdefghi",
            "abcdefghijk",
            "ABCDEFGHJK",
            "abcdefghiu",
            "../etc/pas",
        ] {
            assert!(ReportRef::parse(wrong).is_none(), "{wrong}");
            assert!(matches!(
                wrong.parse::<ReportRef>(),
                Err(AppError::NotFound("report"))
            ));
        }
    }

    #[test]
    fn a_ref_in_a_form_field_forgives_spaces_and_its_address() {
        let expected = ReportRef::parse("abcdefghjk");
        for typed in [
            " abcdefghjk ",
            "/reports/abcdefghjk",
            "https://kintsugi.example/reports/abcdefghjk/",
        ] {
            assert_eq!(
                ReportRef::from_field("target", typed).ok(),
                expected,
                "{typed}"
            );
        }
        let refused = ReportRef::from_field("target", "reports/abc");
        assert!(matches!(&refused, Err(e) if e.field_errors()[0].field == "target"));
    }
}
