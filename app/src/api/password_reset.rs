use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AppError;

/// Asks for a reset link. Every well-formed address gets the same answer, account or not.
#[server(endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    use super::ssr::*;
    use domain::Error;

    let portal = portal()?;
    let to = match domain::identity::password_reset::request(&portal, &email, &meta()).await {
        Ok(()) => "/password/forgot?e=reset_sent".to_string(),
        Err(e @ Error::Invalid { .. }) => format!("/password/forgot?e={}", field_outcome(&e)),
        Err(e) => format!("/password/forgot?e={}", outcome_code(&e)),
    };
    go(&to);
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetLinkView {
    /// Whether the form asks for an authenticator or recovery code.
    pub needs_code: bool,
}

/// Reads only: whether the link still works and what the form needs.
#[server(endpoint = "reset_link")]
pub async fn reset_link(token: String) -> Result<ResetLinkView, AppError> {
    use super::ssr::*;

    let portal = portal()?;
    let link = domain::identity::password_reset::link(&portal, &token).await.map_err(internal)?;
    Ok(ResetLinkView { needs_code: link.needs_code })
}

/// Sets the new password from a mailed link; every session ends, this browser's too.
#[server(endpoint = "reset_password")]
pub async fn reset_password(token: String, new_password: String, code: String) -> Result<(), AppError> {
    use super::ssr::*;
    use domain::Error;

    let portal = portal()?;
    if !domain::keys::is_token_shape(&token) {
        go("/password/reset/invalid");
        return Ok(());
    }
    let back = |code: &str| format!("/password/reset/{token}?e={code}");
    let to = match domain::identity::password_reset::reset(&portal, &token, &new_password, &code, &meta()).await {
        Ok(_) => {
            clear_session_cookie();
            "/sign-in?e=reset_done".to_string()
        }
        Err(Error::BadCredentials) => back("code.wrong"),
        Err(e @ Error::Invalid { .. }) => back(&field_outcome(&e)),
        Err(e) => back(outcome_code(&e)),
    };
    go(&to);
    Ok(())
}
