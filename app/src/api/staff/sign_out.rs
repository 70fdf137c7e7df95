use leptos::prelude::*;

use crate::api::AppError;

#[server(endpoint = "staff_sign_out")]
pub async fn staff_sign_out() -> Result<(), AppError> {
    use crate::api::ssr::*;

    let portal = portal()?;
    if let Some(token) = staff_token() {
        domain::staff::sign_out(&portal, &token).await.map_err(internal)?;
    }
    clear_staff_cookie();
    go("/staff/sign-in?e=signed_out");
    Ok(())
}
