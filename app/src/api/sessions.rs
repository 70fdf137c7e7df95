use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceView {
    pub handle: String,
    pub device: String,
    pub ip: String,
    pub signed_in: String,
    pub last_seen: String,
    pub current: bool,
}

/// Where the signed-in customer is signed in: every live session.
#[server(endpoint = "my_sessions")]
pub async fn my_sessions() -> Result<Vec<DeviceView>, AppError> {
    use super::ssr::*;
    use domain::identity::{Stage, devices};

    let portal = portal()?;
    let session = require_session(&portal, Stage::Full).await?;
    let lang = lang();
    Ok(devices::list(&portal, &session)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|d| DeviceView {
            device: devices::describe(&d.user_agent),
            handle: d.handle,
            ip: d.ip,
            signed_in: domain::locale::date_time(lang, d.signed_in_at),
            last_seen: domain::locale::date_time(lang, d.last_seen_at),
            current: d.current,
        })
        .collect())
}

/// Ends one session; ending this browser's own signs out here.
#[server(endpoint = "end_session")]
pub async fn end_session(handle: String) -> Result<(), AppError> {
    use super::ssr::*;
    use domain::identity::devices;

    let portal = portal()?;
    let Some(session) = form_session(&portal).await else { return Ok(()) };
    let own = session.id_hash.starts_with(&handle.to_ascii_lowercase()) && !handle.is_empty();
    match devices::end(&portal, &session, &handle, &meta().ip).await {
        Ok(()) if own => {
            clear_session_cookie();
            go("/sign-in?e=signed_out");
        }
        Ok(()) => go("/sessions?e=session_ended"),
        Err(domain::Error::NotFound) => go("/sessions?e=invalid"),
        // The handle was checked (16 hex digits) before this refusal, so it may go in the URL.
        Err(domain::Error::Invalid { field: "reauth", .. }) => go(&format!("/sessions?e=reauth.required&then={}", handle.to_ascii_lowercase())),
        Err(e) => go(&format!("/sessions?e={}", outcome_code(&e))),
    }
    Ok(())
}

/// Ends every session but this one.
#[server(endpoint = "end_other_sessions")]
pub async fn end_other_sessions() -> Result<(), AppError> {
    use super::ssr::*;
    use domain::identity::devices;

    let portal = portal()?;
    let Some(session) = form_session(&portal).await else { return Ok(()) };
    match devices::end_others(&portal, &session, &meta().ip).await {
        Ok(_) => go("/sessions?e=sessions_ended"),
        Err(domain::Error::Invalid { field: "reauth", .. }) => go("/sessions?e=reauth.required&then=others"),
        Err(e) => go(&format!("/sessions?e={}", outcome_code(&e))),
    }
    Ok(())
}

/// A fresh authenticator code, then the act that asked for it: ending one session (`then` is
/// its handle) or all the others (`then=others`).
#[server(endpoint = "confirm_and_end_sessions")]
pub async fn confirm_and_end_sessions(code: String, then: String) -> Result<(), AppError> {
    use super::ssr::*;
    use domain::identity::{devices, reauth};

    let portal = portal()?;
    let Some(session) = form_session(&portal).await else { return Ok(()) };
    let then = then.to_ascii_lowercase();
    if then != "others" && !(then.len() == 16 && then.bytes().all(|b| b.is_ascii_hexdigit())) {
        go("/sessions?e=invalid");
        return Ok(());
    }
    let recent = match reauth::confirm(&portal, &session, &code, &meta()).await {
        Ok(recent) => recent,
        Err(domain::Error::BadCredentials) => {
            go(&format!("/sessions?e=code.wrong&then={then}"));
            return Ok(());
        }
        Err(e @ domain::Error::Invalid { .. }) => {
            go(&format!("/sessions?e={}&then={then}", field_outcome(&e)));
            return Ok(());
        }
        Err(e) => {
            go(&format!("/sessions?e={}", outcome_code(&e)));
            return Ok(());
        }
    };
    let done = if then == "others" {
        devices::end_others(&portal, &recent, &meta().ip).await.map(|_| "sessions_ended")
    } else {
        devices::end(&portal, &recent, &then, &meta().ip).await.map(|_| "session_ended")
    };
    match done {
        Ok(code) => go(&format!("/sessions?e={code}")),
        Err(domain::Error::NotFound) => go("/sessions?e=invalid"),
        Err(e) => go(&format!("/sessions?e={}", outcome_code(&e))),
    }
    Ok(())
}
