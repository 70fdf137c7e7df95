use leptos::prelude::*;

use crate::api::AppError;

/// Email, password and authenticator code at once. Ends in a redirect: to the queue, or back
/// with one message whatever was wrong.
#[server(endpoint = "staff_sign_in")]
pub async fn staff_sign_in(email: String, password: String, code: String) -> Result<(), AppError> {
    use crate::api::ssr::*;

    let portal = portal()?;
    if let Some(previous) = staff_token() {
        let _ = domain::staff::sign_out(&portal, &previous).await;
    }
    match domain::staff::sign_in(&portal, &email, &password, &code, &meta()).await {
        Ok(s) => {
            set_staff_cookie(&s.token, s.expires_at - portal.now());
            go("/staff");
        }
        Err(e) => go(&format!("/staff/sign-in?e={}", outcome_code(&e))),
    }
    Ok(())
}
