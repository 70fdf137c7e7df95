use leptos::prelude::*;

use crate::api::AppError;

/// Gives or withdraws consent for one purpose: the same single step either way, taking effect
/// at once. `choice` is "give" or "withdraw".
#[server(endpoint = "set_consent")]
pub async fn set_consent(purpose: String, choice: String) -> Result<(), AppError> {
    use crate::api::ssr::*;
    use domain::consent::{Choice, ledger};

    let portal = portal()?;
    let Some(session) = form_session(&portal).await else { return Ok(()) };
    let Some(choice) = Choice::parse(&choice) else {
        go("/consent?e=invalid");
        return Ok(());
    };
    // The purpose key goes back into the URL only once it is known to be one of ours.
    match ledger::set(&portal, session.customer_id, &purpose, choice, &meta().ip).await {
        Ok(_) => {
            let code = if choice == Choice::Give { "consent_given" } else { "consent_withdrawn" };
            go(&format!("/consent?e={code}&p={purpose}#purpose-{purpose}"));
        }
        Err(domain::Error::NotFound) => go("/consent?e=invalid"),
        Err(e) => go(&format!("/consent?e={}", outcome_code(&e))),
    }
    Ok(())
}
