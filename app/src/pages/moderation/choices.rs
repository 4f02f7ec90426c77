//! The channel, impact and contributing factors as the moderator's draft form offers them.

use serde::Serialize;

use crate::{
    services::taxonomy::Category,
    vocabulary::{Channel, Impact},
};

/// What the report is said to be about: chosen on the report, or as the moderator sent it
/// when the form came back with an error.
pub(super) struct Chosen<'a> {
    pub(super) channel: &'a str,
    pub(super) impact: &'a str,
    pub(super) factors: &'a [String],
}

#[derive(Serialize)]
struct Choice {
    value: &'static str,
    label: &'static str,
    description: &'static str,
    checked: bool,
}

#[derive(Serialize)]
struct FactorChoice {
    slug: String,
    name: String,
    description: String,
    checked: bool,
}

#[derive(Serialize)]
struct CategoryChoice {
    name: String,
    factors: Vec<FactorChoice>,
}

#[derive(Serialize)]
pub(super) struct Classification {
    channels: Vec<Choice>,
    impacts: Vec<Choice>,
    categories: Vec<CategoryChoice>,
    /// A report without a reporter (imported) may have no channel or impact; one logged by
    /// a person keeps both.
    optional: bool,
    no_channel: bool,
    no_impact: bool,
}

impl Classification {
    pub(super) fn new(chosen: &Chosen, categories: Vec<Category>, optional: bool) -> Self {
        Self {
            channels: Channel::ALL
                .iter()
                .map(|c| Choice {
                    value: c.slug(),
                    label: c.label(),
                    description: "",
                    checked: c.slug() == chosen.channel,
                })
                .collect(),
            impacts: Impact::ALL
                .iter()
                .map(|i| Choice {
                    value: i.slug(),
                    label: i.label(),
                    description: i.description(),
                    checked: i.slug() == chosen.impact,
                })
                .collect(),
            categories: categories
                .into_iter()
                .map(|category| CategoryChoice {
                    name: category.name,
                    factors: category
                        .factors
                        .into_iter()
                        .map(|f| FactorChoice {
                            checked: chosen.factors.contains(&f.slug),
                            slug: f.slug,
                            name: f.name,
                            description: f.description,
                        })
                        .collect(),
                })
                .filter(|category| !category.factors.is_empty())
                .collect(),
            optional,
            no_channel: chosen.channel.is_empty(),
            no_impact: chosen.impact.is_empty(),
        }
    }
}
