use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AppError;

/// A correction the customer cannot make alone, or a dispute of a record: it goes to the staff
/// queue with its legal deadline. Nothing about the customer's data changes here.
#[server(endpoint = "submit_request")]
pub async fn submit_request(subject: String, explanation: String) -> Result<(), AppError> {
    use super::ssr::*;

    let portal = portal()?;
    let Some(session) = form_session(&portal).await else { return Ok(()) };
    match domain::requests::submit(&portal, session.customer_id, &subject, &explanation, &meta()).await {
        Ok(_) => go("/my-data?e=request_sent#requests"),
        Err(domain::Error::Invalid { field: "subject", .. }) => go("/my-data?e=invalid"),
        Err(e) => {
            // Only known subjects reach this point; they are safe in a URL.
            go(&format!("/requests/new?subject={subject}&e={}", field_outcome(&e)))
        }
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestView {
    pub id: i64,
    pub kind: String,
    pub subject: String,
    pub status: String,
    pub received: String,
    pub due: String,
}
