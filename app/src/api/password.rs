use leptos::prelude::*;

use super::AppError;

/// For the password page: whether a fully signed-in customer is asking (nothing else is read).
#[server(endpoint = "password_page")]
pub async fn password_page() -> Result<(), AppError> {
    use super::ssr::*;
    use domain::identity::Stage;

    let portal = portal()?;
    require_session(&portal, Stage::Full).await?;
    Ok(())
}

/// Changes the password with the current one and a fresh authenticator code; every other
/// session ends. Problems go back to the form beside their field.
#[server(endpoint = "change_password")]
pub async fn change_password(current_password: String, new_password: String, code: String) -> Result<(), AppError> {
    use super::ssr::*;
    use domain::Error;

    let portal = portal()?;
    let Some(session) = form_session(&portal).await else { return Ok(()) };
    let to = match domain::identity::password_change::change(&portal, &session, &current_password, &new_password, &code, &meta()).await {
        Ok(_) => "/sessions?e=password_changed".to_string(),
        Err(Error::BadCredentials) => "/password?e=code.wrong".to_string(),
        Err(e @ Error::Invalid { .. }) => format!("/password?e={}", field_outcome(&e)),
        Err(e) => format!("/password?e={}", outcome_code(&e)),
    };
    go(&to);
    Ok(())
}
