//! What to tell a client that poem refused before any operation ran: the parameter at fault,
//! or the methods a path does answer.

use poem_openapi::error::{ParseParamError, ParsePathError};

use super::{Api, error::FieldProblem};
use crate::error::FieldError;

/// A parameter that was read but breaks a limit the spec declares (poem-openapi checks those
/// before the operation runs), named with the limit in words: a 422 like any unacceptable value.
pub fn unacceptable_parameter(error: &poem::Error) -> Option<FieldError> {
    let e = error.downcast_ref::<ParseParamError>()?;
    let limit = e.reason.strip_prefix("verification failed. ")?;
    Some(FieldError::new(e.name, limit_in_words(limit)))
}

/// The parameter that could not be read as its type, named with the reason, so that every
/// bad parameter is named in `fields` whether its value was unreadable or merely unacceptable.
pub fn unreadable_parameter(error: &poem::Error) -> Option<FieldProblem> {
    let (name, reason) = if let Some(e) = error.downcast_ref::<ParseParamError>() {
        (e.name, &e.reason)
    } else if let Some(e) = error.downcast_ref::<ParsePathError>() {
        (e.name, &e.reason)
    } else {
        return None;
    };
    // The parser names types as the spec does; the message keeps its words for developers.
    let reason = if reason.contains("integer(uint") {
        "must be a whole number, 0 or more".to_owned()
    } else {
        reason.clone()
    };
    Some(FieldProblem {
        field: name.to_owned(),
        reason,
    })
}

/// poem-openapi's name of a validator, such as `maximum(100, exclusive: false)`, in words.
fn limit_in_words(limit: &str) -> String {
    let argument = |name: &str| {
        limit
            .strip_prefix(name)
            .and_then(|rest| rest.strip_prefix('('))
            .and_then(|rest| rest.strip_suffix(')'))
            .map(|inside| inside.split(", exclusive").next().unwrap_or(inside))
    };
    if let Some(n) = argument("maximum") {
        format!("must be at most {n}")
    } else if let Some(n) = argument("minimum") {
        format!("must be at least {n}")
    } else if let Some(n) = argument("maxLength") {
        format!("is longer than {n} characters")
    } else if let Some(pattern) = argument("pattern") {
        format!("must match the pattern {pattern}")
    } else {
        format!("must satisfy {limit}")
    }
}

/// The methods that the spec documents for the route `pattern` (poem's spelling, such as
/// `/api/v1/reports/:ref`), for the `Allow` header of a 405; GET answers HEAD as well.
pub fn allowed_methods(pattern: &str) -> Option<String> {
    let shape = |path: &str, marker: char| -> Vec<String> {
        path.split('/')
            .map(|s| if s.starts_with(marker) { "*" } else { s }.to_owned())
            .collect()
    };
    let wanted = shape(pattern, ':');
    let mut methods: Vec<String> = Vec::new();
    let paths = <Api as poem_openapi::OpenApi>::meta()
        .into_iter()
        .flat_map(|api| api.paths);
    for path in paths.filter(|p| shape(&format!("/api{}", p.path), '{') == wanted) {
        for operation in path.operations {
            methods.push(operation.method.to_string());
            if operation.method == poem::http::Method::GET {
                methods.push(poem::http::Method::HEAD.to_string());
            }
        }
    }
    (!methods.is_empty()).then(|| methods.join(", "))
}

#[cfg(test)]
mod tests {
    use super::{allowed_methods, limit_in_words};

    #[test]
    fn limits_read_as_words() {
        assert_eq!(
            limit_in_words("maximum(100, exclusive: false)"),
            "must be at most 100"
        );
        assert_eq!(
            limit_in_words("minimum(1, exclusive: false)"),
            "must be at least 1"
        );
        assert_eq!(
            limit_in_words("maxLength(1000)"),
            "is longer than 1000 characters"
        );
        assert_eq!(
            limit_in_words("pattern(\"^(relevance|newest)?$\")"),
            "must match the pattern \"^(relevance|newest)?$\""
        );
    }

    #[test]
    fn a_path_allows_the_methods_of_its_operations() {
        assert_eq!(
            allowed_methods("/api/v1/reports/:ref").as_deref(),
            Some("GET, HEAD")
        );
        assert_eq!(allowed_methods("/api/v1/reports").as_deref(), Some("POST"));
        assert_eq!(allowed_methods("/api/v1/nothing"), None);
    }
}
