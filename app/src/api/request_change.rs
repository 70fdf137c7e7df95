use leptos::prelude::*;

use super::AppError;

/// Asks to change one of the customer's own fields (name, phone, language, email). Nothing is
/// written to their data: a pending change is stored and a confirmation link mailed.
#[server(endpoint = "request_change")]
pub async fn request_change(field: String, value: String) -> Result<(), AppError> {
    use super::ssr::*;
    use domain::verification::{Field, NewValue};

    let portal = portal()?;
    let Some(session) = form_session(&portal).await else { return Ok(()) };
    let Some(parsed) = Field::parse(&field, None).filter(Field::customer_may_change) else {
        go("/my-data?e=invalid");
        return Ok(());
    };
    let key = parsed.key();
    match domain::verification::request_change(&portal, session.customer_id, parsed, NewValue::Text(value), &meta()).await {
        Ok(_) if key == "email" => go("/my-data?e=change_sent_email#pending"),
        Ok(_) => go("/my-data?e=change_sent#pending"),
        Err(e) => go(&format!("/change/{key}?e={}", field_outcome(&e))),
    }
    Ok(())
}
