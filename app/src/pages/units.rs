//! The admin's page of organisational units: the tree with each unit's headcount, which the
//! trend report divides published lessons by, and the size it ends up using.

use poem::{Body, handler, http::StatusCode, web::Data};
use serde::{Deserialize, Serialize};

use super::{
    PageResult, Posted,
    account::see_other,
    fields::{self, SummaryItem},
    read_form_as_sent, render,
};
use crate::{
    auth::access::SignedIn,
    error::AppError,
    services::units::{self, MAX_HEADCOUNT, Size},
    state::AppState,
};

#[derive(Serialize)]
struct UnitRow {
    id: i32,
    path: String,
    /// What the headcount field holds: the stored number, or what was typed and refused.
    headcount: String,
    /// The size reports use, in words.
    size: String,
    /// Set on the row whose headcount was refused, so its field is the one the error
    /// summary links to (`#headcount`).
    error: Option<String>,
}

#[derive(Serialize)]
struct UnitsPage {
    units: Vec<UnitRow>,
    errors: Vec<SummaryItem>,
    max_headcount: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct HeadcountForm {
    unit: String,
    headcount: String,
}

/// A refused headcount, to show again on its unit's row.
struct Refused {
    path: String,
    typed: String,
    errors: Vec<crate::error::FieldError>,
}

/// `1234567` as `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn size_text(size: Option<Size>) -> String {
    match size {
        Some(Size {
            people,
            summed: false,
        }) => thousands(people),
        Some(Size {
            people,
            summed: true,
        }) => format!("{}, the units under it added up", thousands(people)),
        None => "not known".to_owned(),
    }
}

async fn units_page(state: &AppState, refused: Option<Refused>) -> PageResult {
    let units = units::with_sizes(&state.db).await?;
    let refused_path = refused.as_ref().map(|r| units::normalise_path(&r.path));
    let rows = units
        .into_iter()
        .map(|(unit, size)| {
            let this = refused_path.as_deref() == Some(unit.path.as_str());
            let (headcount, error) = match refused.as_ref().filter(|_| this) {
                Some(r) => (r.typed.clone(), r.errors.first().map(fields::for_a_person)),
                None => (
                    unit.headcount.map(|n| n.to_string()).unwrap_or_default(),
                    None,
                ),
            };
            UnitRow {
                id: unit.id,
                path: unit.path,
                headcount,
                size: size_text(size),
                error,
            }
        })
        .collect();
    let (errors, status) = match &refused {
        Some(r) => (fields::summary(&r.errors), StatusCode::UNPROCESSABLE_ENTITY),
        None => (Vec::new(), StatusCode::OK),
    };
    let page = UnitsPage {
        units: rows,
        errors,
        max_headcount: thousands(u64::from(MAX_HEADCOUNT)),
    };
    render(state, "pages/admin/units", &page, status)
}

#[handler]
pub async fn list(Data(state): Data<&AppState>) -> PageResult {
    units_page(state, None).await
}

/// Sets one unit's headcount, or clears it when the field is blank.
#[handler]
pub async fn set_headcount(
    Data(state): Data<&AppState>,
    SignedIn(actor): SignedIn,
    body: Body,
) -> PageResult {
    let Posted { form, readable } = read_form_as_sent::<HeadcountForm>(body).await?;
    let saved = async {
        readable?;
        let headcount = units::parse_headcount(&form.headcount)?;
        units::set_headcount(&state.db, &actor, &form.unit, headcount).await
    };
    match saved.await {
        Ok(unit) => Ok(see_other(&format!("/admin/units#unit-{}", unit.id))),
        Err(AppError::Invalid(errors)) => {
            let refused = Refused {
                path: form.unit,
                typed: form.headcount,
                errors,
            };
            units_page(state, Some(refused)).await
        }
        Err(error) => Err(error),
    }
}
