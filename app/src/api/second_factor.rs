use leptos::prelude::*;

use super::AppError;

/// A TOTP code, or a recovery code in its place, after the password.
#[server(endpoint = "verify_code")]
pub async fn verify_code(code: String) -> Result<(), AppError> {
    use super::ssr::*;
    use domain::identity::Stage;

    let portal = portal()?;
    let Ok(session) = require_session(&portal, Stage::NeedsCode).await else {
        go("/sign-in?e=expired");
        return Ok(());
    };
    match domain::identity::verify_second_factor(&portal, &session, &code, &meta()).await {
        Ok(full) => {
            set_session_cookie(&full, portal.now());
            follow_profile_language(&portal, session.customer_id).await;
            go("/my-data");
        }
        Err(domain::Error::Unauthenticated) => go("/sign-in?e=expired"),
        Err(e) => go(&format!("/sign-in/code?e={}", outcome_code(&e))),
    }
    Ok(())
}
