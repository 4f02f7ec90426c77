//! Reading posted forms: the one place where a form's bytes become the page's text.

use poem::Body;
use serde::de::DeserializeOwned;

use crate::error::{AppError, FieldError, Result};

/// The most a form may send: far above any real report, far below a nuisance.
pub const FORM_LIMIT: usize = 256 * 1024;

/// Why a field is refused when its bytes are not UTF-8, as the API refuses such text.
const NOT_TEXT: &str =
    "contains characters that could not be read as text (shown as �); please type them again";

/// A form as posted, read even where some of it is not text, so that it can come back as
/// the person wrote it rather than be lost.
pub struct Posted<T> {
    pub form: T,
    /// `Err` naming each field whose bytes are not UTF-8: such text is refused, never
    /// stored with replacement characters in it.
    pub readable: Result<()>,
}

/// Reads an `application/x-www-form-urlencoded` body, with repeated keys as lists, refusing
/// it when a field is not UTF-8.
pub async fn read_form<T: DeserializeOwned>(body: Body) -> Result<T> {
    let posted = read_form_as_sent(body).await?;
    posted.readable?;
    Ok(posted.form)
}

/// Reads a form as [`read_form`] does, but gives it back with its unreadable fields named
/// instead of refusing it, for pages that show the form again.
pub async fn read_form_as_sent<T: DeserializeOwned>(body: Body) -> Result<Posted<T>> {
    let bytes = body
        .into_bytes_limit(FORM_LIMIT)
        .await
        .map_err(|e| match e {
            poem::error::ReadBodyError::PayloadTooLarge => AppError::TooLarge { limit: FORM_LIMIT },
            other => AppError::Malformed(format!("the form could not be read: {other}")),
        })?;
    let form = serde_html_form::from_bytes(&bytes)
        .map_err(|e| AppError::Malformed(format!("the form could not be read: {e}")))?;
    let unreadable = unreadable_fields(&bytes);
    let readable = if unreadable.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(unreadable))
    };
    Ok(Posted { form, readable })
}

/// Each field, once, whose name or value decodes to bytes that are not UTF-8.
fn unreadable_fields(body: &[u8]) -> Vec<FieldError> {
    let mut errors: Vec<FieldError> = Vec::new();
    for pair in body.split(|b| *b == b'&') {
        let (name, value) = match pair.iter().position(|b| *b == b'=') {
            Some(at) => pair.split_at(at),
            None => (pair, &[][..]),
        };
        let name = percent_decoded(name);
        if std::str::from_utf8(&name).is_ok()
            && std::str::from_utf8(&percent_decoded(value)).is_ok()
        {
            continue;
        }
        let field = String::from_utf8_lossy(&name).into_owned();
        if !errors.iter().any(|e| e.field == field) {
            errors.push(FieldError::new(field, NOT_TEXT));
        }
    }
    errors
}

/// Decodes `%XX` and `+` as forms encode them; anything else stays as it is.
fn percent_decoded(bytes: &[u8]) -> Vec<u8> {
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some((&first, tail)) = rest.split_first() {
        rest = tail;
        if first == b'%'
            && let [high, low, after @ ..] = tail
            && let (Some(high), Some(low)) = (hex(*high), hex(*low))
        {
            decoded.push(high * 16 + low);
            rest = after;
        } else if first == b'+' {
            decoded.push(b' ');
        } else {
            decoded.push(first);
        }
    }
    decoded
}

fn hex(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(body: &[u8]) -> Vec<String> {
        unreadable_fields(body)
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn text_in_any_script_is_readable() {
        assert!(fields(b"title=caf%C3%A9&narrative=a+b%20c&tags=x&tags=%E2%9C%93").is_empty());
        assert!(
            fields(b"title=100%&empty=&alone").is_empty(),
            "stray % is text"
        );
    }

    #[test]
    fn bytes_that_are_not_utf8_name_their_field_once() {
        assert_eq!(fields(b"title=ok&lesson=caf%E9&lesson=%FF"), ["lesson"]);
        assert_eq!(fields(b"narrative=raw\xff&title=x"), ["narrative"]);
        assert_eq!(fields(b"n%FFme=x"), ["n\u{FFFD}me"]);
    }

    #[test]
    fn decoding_follows_form_encoding() {
        assert_eq!(percent_decoded(b"a+b%41%2"), b"a bA%2");
        assert_eq!(percent_decoded(b"%+1%zz"), b"% 1%zz");
    }
}
