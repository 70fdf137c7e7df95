use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeFormView {
    pub field: String,
    /// The value held now (for the language, its code).
    pub current: String,
    pub address: Option<AddressParts>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressParts {
    pub id: i64,
    pub label: String,
    pub line1: String,
    pub line2: String,
    pub city: String,
    pub postal_code: String,
    pub region: String,
    pub country: String,
}

/// What a change form starts from: the signed-in customer's current value of `field`.
#[server(endpoint = "change_form")]
pub async fn change_form(field: String, address_id: Option<i64>) -> Result<ChangeFormView, AppError> {
    use super::ssr::*;
    use domain::identity::Stage;
    use domain::verification::{AddressValue, Field};

    let portal = portal()?;
    let session = require_session(&portal, Stage::Full).await?;
    let parsed = Field::parse(&field, address_id).filter(Field::customer_may_change).ok_or(AppError::NotFound)?;
    let current = domain::verification::current(&portal, session.customer_id, &parsed)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    let address = match parsed {
        Field::Address(id) => {
            let a: AddressValue =
                domain::verification::field::parse_address(&current).ok_or(AppError::Unavailable)?;
            Some(AddressParts {
                id,
                label: a.label,
                line1: a.line1,
                line2: a.line2,
                city: a.city,
                postal_code: a.postal_code,
                region: a.region,
                country: a.country,
            })
        }
        _ => None,
    };
    let current = address.as_ref().map(|_| String::new()).unwrap_or(current);
    Ok(ChangeFormView { field: parsed.key().to_string(), current, address })
}
