//! The radio buttons and checkboxes that the report form and the moderator's draft form both
//! offer: channel, audience, impact and contributing factors.

use serde::Serialize;

use crate::{
    services::taxonomy::Factor,
    vocabulary::{Audience, Channel, Impact},
};

/// One value of a closed vocabulary, as a radio button.
#[derive(Debug, Serialize)]
pub struct Choice {
    value: &'static str,
    label: &'static str,
    /// What the choice means, where people could read it differently; empty otherwise.
    description: &'static str,
    checked: bool,
}

impl Choice {
    pub fn channels(chosen: &str) -> Vec<Self> {
        Channel::ALL
            .iter()
            .map(|c| Self::new(c.slug(), c.label(), "", chosen))
            .collect()
    }

    pub fn audiences(chosen: &str) -> Vec<Self> {
        Audience::ALL
            .iter()
            .map(|a| Self::new(a.slug(), a.label(), "", chosen))
            .collect()
    }

    /// The impact levels with their definitions, so that people choose alike.
    pub fn impacts(chosen: &str) -> Vec<Self> {
        Impact::ALL
            .iter()
            .map(|i| Self::new(i.slug(), i.label(), i.description(), chosen))
            .collect()
    }

    fn new(
        value: &'static str,
        label: &'static str,
        description: &'static str,
        chosen: &str,
    ) -> Self {
        Self {
            value,
            label,
            description,
            checked: value == chosen,
        }
    }
}

/// One contributing factor, as a checkbox.
#[derive(Debug, Serialize)]
pub struct FactorChoice {
    slug: String,
    name: String,
    description: String,
    pub checked: bool,
}

impl FactorChoice {
    /// The factors of one category, those in `chosen` checked.
    pub fn list(factors: Vec<Factor>, chosen: &[String]) -> Vec<Self> {
        factors
            .into_iter()
            .map(|f| Self {
                checked: chosen.contains(&f.slug),
                slug: f.slug,
                name: f.name,
                description: f.description,
            })
            .collect()
    }
}
