use leptos::prelude::*;

use super::AppError;

/// Asks to change one of the customer's postal addresses; confirmed like every other change.
#[server(endpoint = "request_address_change")]
#[allow(clippy::too_many_arguments)]
pub async fn request_address_change(
    address_id: i64,
    label: String,
    line1: String,
    line2: String,
    city: String,
    postal_code: String,
    region: String,
    country: String,
) -> Result<(), AppError> {
    use super::ssr::*;
    use domain::verification::{AddressValue, Field, NewValue};

    let portal = portal()?;
    let Some(session) = form_session(&portal).await else { return Ok(()) };
    let value = AddressValue { label, line1, line2, city, postal_code, region, country };
    let field = Field::Address(address_id);
    match domain::verification::request_change(&portal, session.customer_id, field, NewValue::Address(value), &meta()).await {
        Ok(_) => go("/my-data?e=change_sent#pending"),
        // Someone else's address id looks exactly like a missing one.
        Err(domain::Error::NotFound) => go("/my-data?e=invalid"),
        Err(e) => go(&format!("/change/address?id={address_id}&e={}", field_outcome(&e))),
    }
    Ok(())
}
