use leptos::prelude::*;

use crate::api::AppError;

/// The customer has read an incident notice; its banner goes.
#[server(endpoint = "acknowledge_notice")]
pub async fn acknowledge_notice(id: i64) -> Result<(), AppError> {
    use crate::api::ssr::*;
    use domain::identity::Stage;

    let portal = portal()?;
    let session = match require_session(&portal, Stage::Full).await {
        Ok(s) => s,
        Err(e) => {
            go(&session_failed(&e, "/sign-in"));
            return Ok(());
        }
    };
    match domain::incidents::notify::acknowledge(&portal, session.customer_id, id, &meta().ip).await {
        Ok(()) => go("/my-data?e=notice_acknowledged"),
        Err(_) => go("/my-data?e=invalid"),
    }
    Ok(())
}
