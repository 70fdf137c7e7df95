use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevertView {
    pub old_email: String,
    pub new_email: String,
}

/// Reads only.
#[server(endpoint = "revert_link")]
pub async fn revert_link(token: String) -> Result<RevertView, AppError> {
    use super::ssr::*;

    let portal = portal()?;
    let p = domain::verification::revert_preview(&portal, &token).await.map_err(internal)?;
    Ok(RevertView { old_email: p.old_email, new_email: p.new_email })
}

/// Restores the previous address and signs every device out.
#[server(endpoint = "revert_email")]
pub async fn revert_email(token: String) -> Result<(), AppError> {
    use super::ssr::*;

    let portal = portal()?;
    if !domain::keys::is_token_shape(&token) {
        go("/revert-email/invalid");
        return Ok(());
    }
    match domain::verification::revert_email(&portal, &token, &meta()).await {
        Ok(()) => {
            clear_session_cookie();
            go("/sign-in?e=address_restored");
        }
        Err(e) => go(&format!("/revert-email/{token}?e={}", outcome_code(&e))),
    }
    Ok(())
}
