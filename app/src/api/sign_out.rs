use leptos::prelude::*;

use super::AppError;

/// Ends the session on the server and forgets the cookie.
#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use super::ssr::*;

    let portal = portal()?;
    if let Some(token) = session_token() {
        if let Err(e) = domain::identity::sign_out(&portal, &token).await {
            // The cookie is cleared regardless; report the failure but do not strand the user.
            let _ = internal(e);
        }
    }
    clear_session_cookie();
    // The browser forgets whatever it kept of this site: cookies, storage, cached pages.
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.insert_header(http::header::HeaderName::from_static("clear-site-data"), http::HeaderValue::from_static("\"cache\", \"cookies\", \"storage\""));
    }
    go("/sign-in?e=signed_out");
    Ok(())
}
