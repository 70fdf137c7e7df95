use leptos::prelude::*;

use super::AppError;

/// Email and password. Ends in a redirect: to the code step, to enrollment, or back with a code.
#[server(endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String) -> Result<(), AppError> {
    use super::ssr::*;
    use domain::identity::SignInStep;

    let portal = portal()?;
    let previous = session_token();
    match domain::identity::sign_in(&portal, &email, &password, &meta(), previous.as_deref()).await {
        Ok(SignInStep::NeedsCode(s)) => {
            set_session_cookie(&s, portal.now());
            go("/sign-in/code");
        }
        Ok(SignInStep::NeedsEnrollment(s)) => {
            set_session_cookie(&s, portal.now());
            go("/enroll");
        }
        Err(e) => go(&format!("/sign-in?e={}", outcome_code(&e))),
    }
    Ok(())
}
