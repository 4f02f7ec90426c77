//! The closed vocabularies of a report: channel, audience, impact and status, and the
//! [`vocabulary!`] macro that declares them and the app's other closed lists of names.
//!
//! Each value has a stable slug (stored in the database and used by the API) and a label for
//! people. The same enums serve the pages, the services and, through [`Vocabulary`], the API's
//! schema, which is declared at the API's edge.

/// What every closed vocabulary offers, for code that serves any of them alike.
pub trait Vocabulary: Copy + Send + Sync + 'static {
    /// The type's name, as the API's schema calls it.
    const NAME: &'static str;
    /// The lines of the type's doc comment, for the API's schema.
    const DOC: &'static [&'static str];
    const ALL: &'static [Self];
    fn slug(self) -> &'static str;
    fn from_slug(slug: &str) -> Option<Self>;

    /// The accepted slugs, for error messages.
    fn expected() -> String {
        Self::ALL
            .iter()
            .map(|v| v.slug())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

macro_rules! vocabulary {
    (
        $(#[doc = $doc:literal])*
        $name:ident { $($variant:ident => ($slug:literal, $label:literal)),+ $(,)? }
    ) => {
        $(#[doc = $doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            // Named by their slugs everywhere: the database, JSON and the API schema.
            $(#[doc = $label] #[serde(rename = $slug)] $variant),+
        }

        impl $crate::vocabulary::Vocabulary for $name {
            const NAME: &'static str = stringify!($name);
            const DOC: &'static [&'static str] = &[$($doc),*];
            const ALL: &'static [Self] = &[$(Self::$variant),+];

            fn slug(self) -> &'static str {
                $name::slug(self)
            }

            fn from_slug(slug: &str) -> Option<Self> {
                $name::from_slug(slug)
            }
        }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            pub fn slug(self) -> &'static str {
                match self { $(Self::$variant => $slug),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $(Self::$variant => $label),+ }
            }

            pub fn from_slug(slug: &str) -> Option<Self> {
                match slug { $($slug => Some(Self::$variant),)+ _ => None }
            }

            /// The accepted slugs, for error messages.
            pub fn expected() -> String {
                <Self as $crate::vocabulary::Vocabulary>::expected()
            }
        }
    };
}
pub(crate) use vocabulary;

vocabulary! {
    /// Where the communication happened.
    Channel {
        Email => ("email", "Email"),
        PublicSocial => ("public_social", "Public social media"),
        InternalSocial => ("internal_social", "Internal chat or social"),
        WebsiteIntranet => ("website_intranet", "Website or intranet"),
        MediaPress => ("media_press", "Media or press"),
        Meeting => ("meeting", "Meeting"),
        PhoneSms => ("phone_sms", "Phone or SMS"),
        DocumentLetter => ("document_letter", "Document or letter"),
        Other => ("other", "Other"),
    }
}

vocabulary! {
    /// Who the communication reached or was meant to reach.
    Audience {
        Internal => ("internal", "Internal"),
        CrossAgency => ("cross_agency", "Across agencies"),
        Public => ("public", "The public"),
    }
}

vocabulary! {
    /// How far it went. A near miss is caught before it reached anyone.
    Impact {
        NearMiss => ("near_miss", "Near miss (caught in time)"),
        Minor => ("minor", "Minor"),
        Moderate => ("moderate", "Moderate"),
        Serious => ("serious", "Serious"),
    }
}

vocabulary! {
    /// Where a report is in its life: only `published` reports are readable by readers.
    Status {
        Submitted => ("submitted", "Waiting for a moderator"),
        NeedsInfo => ("needs_info", "A moderator has a question"),
        Published => ("published", "Published as a shared lesson"),
        Rejected => ("rejected", "Not published"),
        Withdrawn => ("withdrawn", "Withdrawn by the reporter"),
        Merged => ("merged", "Merged into an existing lesson"),
    }
}

impl Impact {
    /// What the level means, so that reporters choose alike.
    pub fn description(self) -> &'static str {
        match self {
            Self::NearMiss => {
                "Caught before it reached anyone it was not meant for: nothing to put right."
            }
            Self::Minor => "It reached someone, but was easily put right, with little or no harm.",
            Self::Moderate => {
                "Putting it right took real effort (a correction, an apology, calls), or it caused confusion or embarrassment."
            }
            Self::Serious => {
                "Lasting harm to people, privacy, trust or the organisation's reputation, or it needed formal handling."
            }
        }
    }
}

impl Status {
    /// Whether the reporter can still add to or withdraw the report.
    pub fn is_open(self) -> bool {
        !matches!(self, Self::Withdrawn | Self::Merged | Self::Rejected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip() {
        for channel in Channel::ALL {
            assert_eq!(Channel::from_slug(channel.slug()), Some(*channel));
        }
        for status in Status::ALL {
            assert_eq!(Status::from_slug(status.slug()), Some(*status));
        }
        assert_eq!(Impact::from_slug("catastrophic"), None);
    }

    #[test]
    fn serde_uses_the_slugs() -> Result<(), serde_json::Error> {
        assert_eq!(
            serde_json::to_string(&Channel::PublicSocial)?,
            "\"public_social\""
        );
        let impact: Impact = serde_json::from_str("\"near_miss\"")?;
        assert_eq!(impact, Impact::NearMiss);
        Ok(())
    }
}
