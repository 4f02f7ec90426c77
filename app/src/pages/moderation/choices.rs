//! The channel, impact and contributing factors as the moderator's draft form offers them.

use serde::Serialize;

use crate::{
    pages::choices::{Choice, FactorChoice},
    services::taxonomy::Category,
};

/// What the report is said to be about: chosen on the report, or as the moderator sent it
/// when the form came back with an error.
pub(super) struct Chosen<'a> {
    pub(super) channel: &'a str,
    pub(super) impact: &'a str,
    pub(super) factors: &'a [String],
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
            channels: Choice::channels(chosen.channel),
            impacts: Choice::impacts(chosen.impact),
            categories: categories
                .into_iter()
                .map(|category| CategoryChoice {
                    name: category.name,
                    factors: FactorChoice::list(category.factors, chosen.factors),
                })
                .filter(|category| !category.factors.is_empty())
                .collect(),
            optional,
            no_channel: chosen.channel.is_empty(),
            no_impact: chosen.impact.is_empty(),
        }
    }
}
