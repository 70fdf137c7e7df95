use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AppError;
use super::my_data::CellView;

/// What an emailed link would change, for the page that asks for the code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeLinkView {
    pub field: String,
    pub old_value: CellView,
    pub new_value: CellView,
    pub minutes_left: i64,
}

/// Reads only: mail scanners open links, and opening one must change nothing.
#[server(endpoint = "change_link")]
pub async fn change_link(token: String) -> Result<ChangeLinkView, AppError> {
    use super::ssr::*;

    let portal = portal()?;
    let viewer = viewer(&portal).await?;
    let p = domain::verification::preview(&portal, &token, viewer).await.map_err(internal)?;
    let cell = |v: String| match p.field.key() {
        "preferred_language" => CellView::Term(format!("lang_{v}")),
        // Not a value: what the account is now, and what confirming does to it.
        "erasure" if v.is_empty() => CellView::Term("erasure_before".into()),
        "erasure" => CellView::Term("erasure_after".into()),
        _ => CellView::Text(v),
    };
    Ok(ChangeLinkView {
        field: p.field.key().to_string(),
        old_value: cell(p.old_value.clone()),
        new_value: cell(p.new_value.clone()),
        minutes_left: ((p.expires_at - portal.now()) / 60).max(1),
    })
}

/// Applies the change behind the link with a code from the authenticator (or a recovery code).
#[server(endpoint = "confirm_change")]
pub async fn confirm_change(token: String, code: String) -> Result<(), AppError> {
    use super::ssr::*;

    let portal = portal()?;
    let viewer = viewer(&portal).await?;
    // Anything not shaped like our tokens never reaches a URL we build.
    if !domain::keys::is_token_shape(&token) {
        go("/confirm/invalid");
        return Ok(());
    }
    match domain::verification::confirm(&portal, &token, &code, viewer, &meta()).await {
        Ok(done) => {
            let recovery = if done.used_recovery_code { "&recovery=1" } else { "" };
            // A new preferred language takes effect in this browser at once.
            if let (domain::verification::Field::PreferredLanguage, Some(customer)) = (done.field, viewer) {
                follow_profile_language(&portal, customer).await;
            }
            go(&format!("/confirmed?field={}{recovery}", done.field.key()));
        }
        Err(e) => go(&format!("/confirm/{token}?e={}", field_outcome(&e))),
    }
    Ok(())
}
