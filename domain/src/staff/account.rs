//! Staff accounts. They are made from the command line by someone with access to the server;
//! the authenticator key is shown once there and the second factor is never optional.

use super::{Role, totp_context};
use crate::audit::{self, Actor, Entry};
use crate::error::Problem;
use crate::identity::{is_plausible_email, normalize_email, password, totp};
use crate::keys::{random_token, token_hash};
use crate::{Error, Portal, Result};

/// What the command prints once: the key to type into an authenticator app.
#[derive(Debug)]
pub struct NewStaff {
    pub id: i64,
    pub pseudonym: String,
    pub totp_key: String,
    pub otpauth_uri: String,
}

/// Creates a staff member. `totp_secret` is for imports of test fixtures; the command line
/// always lets it be generated.
#[tracing::instrument(name = "staff.add", skip_all, fields(role = role.as_str()))]
pub async fn add(portal: &Portal, email: &str, role: Role, password_input: &str, totp_secret: Option<Vec<u8>>) -> Result<NewStaff> {
    let email = normalize_email(email);
    if email.is_empty() {
        return Err(Error::invalid("email", Problem::Required));
    }
    if !is_plausible_email(&email) || email.len() > crate::identity::sign_in::MAX_EMAIL_LEN {
        return Err(Error::invalid("email", Problem::Malformed));
    }
    password::check_policy(password_input)?;
    let hash = password::hash(password_input).await?;
    let secret = totp_secret.unwrap_or_else(totp::new_secret);
    let pseudonym = format!("staff-{}", &token_hash(&random_token())[..8]);
    let now = portal.now();

    let mut tx = portal.store.begin().await?;
    let inserted: std::result::Result<(i64,), sqlx::Error> = sqlx::query_as(
        "INSERT INTO staff (pseudonym, email, password_hash, role, totp_secret_enc, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(&pseudonym)
    .bind(&email)
    .bind(&hash)
    .bind(role.as_str())
    // Sealed under a placeholder context first: the id that binds it is known only now.
    .bind(Vec::<u8>::new())
    .bind(now)
    .fetch_one(&mut *tx)
    .await;
    let (id,) = match inserted {
        Ok(row) => row,
        Err(e) => {
            let e = Error::from(e);
            return Err(if e.is_unique_violation() { Error::invalid("email", Problem::Taken) } else { e });
        }
    };
    let sealed = portal.keys.seal(&totp_context(id), &secret)?;
    sqlx::query("UPDATE staff SET totp_secret_enc = $1 WHERE id = $2")
        .bind(sealed)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let detail = format!("{pseudonym}:{}", role.as_str());
    audit::record(&mut tx, now, Entry { actor: Actor::System, customer_id: None, action: "staff.added", detail: &detail, ip: None }).await?;
    tx.commit().await?;
    Ok(NewStaff {
        id,
        otpauth_uri: totp::otpauth_uri(&secret, "Custodia staff", &email),
        totp_key: totp::secret_base32(&secret),
        pseudonym,
    })
}

/// Signs a staff member out everywhere and refuses further sign-ins.
pub async fn disable(portal: &Portal, email: &str) -> Result<()> {
    let email = normalize_email(email);
    let mut tx = portal.store.begin().await?;
    let row: Option<(i64, String)> =
        sqlx::query_as("UPDATE staff SET disabled_at = $1 WHERE email = $2 AND disabled_at IS NULL RETURNING id, pseudonym")
            .bind(portal.now())
            .bind(&email)
            .fetch_optional(&mut *tx)
            .await?;
    let (id, pseudonym) = row.ok_or(Error::NotFound)?;
    sqlx::query("DELETE FROM staff_sessions WHERE staff_id = $1").bind(id).execute(&mut *tx).await?;
    audit::record(&mut tx, portal.now(), Entry { actor: Actor::System, customer_id: None, action: "staff.disabled", detail: &pseudonym, ip: None }).await?;
    tx.commit().await?;
    Ok(())
}
