use leptos::prelude::*;

use super::AppError;
use super::enrollment::EnrollmentView;

/// For the page replacing the authenticator: the new key when this session started a change,
/// None when the customer is yet to prove who they are.
#[server(endpoint = "authenticator_page")]
pub async fn authenticator_page() -> Result<Option<EnrollmentView>, AppError> {
    use super::ssr::*;
    use domain::identity::Stage;

    let portal = portal()?;
    let session = require_session(&portal, Stage::Full).await?;
    let pending = domain::identity::authenticator_change::pending(&portal, &session).await.map_err(internal)?;
    Ok(pending.map(EnrollmentView::from))
}

/// The current password and a code from the present authenticator, or a recovery code.
#[server(endpoint = "start_authenticator_change")]
pub async fn start_authenticator_change(current_password: String, code: String) -> Result<(), AppError> {
    use super::ssr::*;
    use domain::Error;

    let portal = portal()?;
    let Some(session) = form_session(&portal).await else { return Ok(()) };
    let to = match domain::identity::authenticator_change::start(&portal, &session, &current_password, &code, &meta()).await {
        Ok(()) => "/authenticator".to_string(),
        Err(Error::BadCredentials) => "/authenticator?e=code.wrong".to_string(),
        Err(e @ Error::Invalid { .. }) => format!("/authenticator?e={}", field_outcome(&e)),
        Err(e) => format!("/authenticator?e={}", outcome_code(&e)),
    };
    go(&to);
    Ok(())
}

/// A code from the new authenticator: the key is swapped, every other session ends and the new
/// recovery codes are shown once.
#[server(endpoint = "finish_authenticator_change")]
pub async fn finish_authenticator_change(new_code: String) -> Result<(), AppError> {
    use super::ssr::*;
    use domain::Error;

    let portal = portal()?;
    let Some(session) = form_session(&portal).await else { return Ok(()) };
    let to = match domain::identity::authenticator_change::finish(&portal, &session, &new_code, &meta()).await {
        Ok(_) => "/recovery-codes?e=authenticator_changed".to_string(),
        Err(Error::BadCredentials) => "/authenticator?e=new_code.wrong".to_string(),
        Err(e @ Error::Invalid { .. }) => format!("/authenticator?e={}", field_outcome(&e)),
        Err(Error::NotFound) => "/authenticator?e=authenticator_start_again".to_string(),
        Err(e) => format!("/authenticator?e={}", outcome_code(&e)),
    };
    go(&to);
    Ok(())
}
