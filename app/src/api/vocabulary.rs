//! The API's schema for the closed vocabularies (channel, status, …), declared here at the
//! API's edge from each vocabulary's own names, so that the domain needs no OpenAPI.

use std::{borrow::Cow, sync::OnceLock};

use poem_openapi::{
    registry::{MetaSchema, MetaSchemaRef, Registry},
    types::{ParseError, ParseFromJSON, ParseFromParameter, ParseResult, ToJSON, Type},
};
use serde_json::Value;

use crate::{
    services::{
        effect::EffectVerdict,
        guidelines::{ChangeKind, EvidenceKind, SectionStatus},
        moderation::{RedactionDecision, ReporterReview},
        patterns::{PatternKind, PatternStatus, StatusDecision},
        signals::SignalKind,
        suggestions::{SuggestionKind, SuggestionStatus},
    },
    vocabulary::{Audience, Channel, Impact, Status, Vocabulary},
};

/// A string schema that lists the slugs, described by the vocabulary's doc comment as
/// poem-openapi's own `Enum` describes an enum: each line trimmed.
fn schema<T: Vocabulary>(description: &'static OnceLock<String>) -> MetaSchema {
    let description = description.get_or_init(|| {
        T::DOC
            .iter()
            .map(|line| line.trim())
            .collect::<Vec<_>>()
            .join("\n")
    });
    MetaSchema {
        // `str::is_empty` by name: poem-openapi's `Type` has an `is_empty` of its own.
        description: Some(description.as_str()).filter(|d| !str::is_empty(d)),
        enum_items: T::ALL.iter().map(|v| Value::from(v.slug())).collect(),
        ..MetaSchema::new("string")
    }
}

fn from_json<T: Vocabulary + Type>(value: Option<Value>) -> ParseResult<T> {
    let value = value.unwrap_or_default();
    match value.as_str().and_then(T::from_slug) {
        Some(known) => Ok(known),
        None => Err(ParseError::expected_type(value)),
    }
}

fn from_parameter<T: Vocabulary + Type>(value: &str) -> ParseResult<T> {
    T::from_slug(value).ok_or_else(|| ParseError::custom("Expect a valid enumeration value."))
}

macro_rules! openapi_vocabulary {
    ($($ty:ty),+ $(,)?) => {$(
        impl Type for $ty {
            const IS_REQUIRED: bool = true;
            type RawValueType = Self;
            type RawElementValueType = Self;

            fn name() -> Cow<'static, str> {
                Cow::Borrowed(<$ty as Vocabulary>::NAME)
            }

            fn schema_ref() -> MetaSchemaRef {
                MetaSchemaRef::Reference(<$ty as Vocabulary>::NAME.to_owned())
            }

            fn register(registry: &mut Registry) {
                // One description for each vocabulary, hence a static in each impl.
                static DESCRIPTION: OnceLock<String> = OnceLock::new();
                let name = <$ty as Vocabulary>::NAME.to_owned();
                registry.create_schema::<Self, _>(name, |_| schema::<$ty>(&DESCRIPTION));
            }

            fn as_raw_value(&self) -> Option<&Self> {
                Some(self)
            }

            fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Self> + 'a> {
                Box::new(std::iter::once(self))
            }
        }

        impl ParseFromJSON for $ty {
            fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
                from_json(value)
            }
        }

        impl ParseFromParameter for $ty {
            fn parse_from_parameter(value: &str) -> ParseResult<Self> {
                from_parameter(value)
            }
        }

        impl ToJSON for $ty {
            fn to_json(&self) -> Option<Value> {
                Some(Value::from(<$ty as Vocabulary>::slug(*self)))
            }
        }
    )+};
}

openapi_vocabulary!(
    Channel,
    Audience,
    Impact,
    Status,
    ReporterReview,
    RedactionDecision,
    SignalKind,
    ChangeKind,
    EvidenceKind,
    SectionStatus,
    PatternStatus,
    StatusDecision,
    PatternKind,
    EffectVerdict,
    SuggestionKind,
    SuggestionStatus,
);
