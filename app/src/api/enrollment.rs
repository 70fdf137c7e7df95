use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AppError;

/// What the enrollment page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollmentView {
    pub account: String,
    pub issuer: String,
    /// The key in base32, as authenticator apps take it when typed.
    pub key: String,
    pub qr_svg: String,
}

#[server(endpoint = "enrollment")]
pub async fn enrollment() -> Result<EnrollmentView, AppError> {
    use super::ssr::*;
    use domain::identity::Stage;

    let portal = portal()?;
    let session = require_session(&portal, Stage::NeedsEnrollment).await?;
    let e = domain::identity::enrollment(&portal, &session).await.map_err(internal)?;
    Ok(EnrollmentView::from(e))
}

#[cfg(feature = "ssr")]
impl From<domain::identity::Enrollment> for EnrollmentView {
    fn from(e: domain::identity::Enrollment) -> Self {
        EnrollmentView { account: e.account, issuer: domain::identity::enrollment::ISSUER.to_string(), key: e.secret_base32, qr_svg: e.qr_svg }
    }
}

/// The first code from the newly added authenticator.
#[server(endpoint = "confirm_enrollment")]
pub async fn confirm_enrollment(code: String) -> Result<(), AppError> {
    use super::ssr::*;
    use domain::identity::Stage;

    let portal = portal()?;
    let Ok(session) = require_session(&portal, Stage::NeedsEnrollment).await else {
        go("/sign-in?e=expired");
        return Ok(());
    };
    match domain::identity::confirm_enrollment(&portal, &session, &code, &meta()).await {
        Ok(full) => {
            set_session_cookie(&full, portal.now());
            follow_profile_language(&portal, session.customer_id).await;
            go("/recovery-codes");
        }
        Err(domain::Error::Unauthenticated) => go("/sign-in?e=expired"),
        Err(e) => go(&format!("/enroll?e={}", outcome_code(&e))),
    }
    Ok(())
}
