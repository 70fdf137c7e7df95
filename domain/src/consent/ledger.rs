//! The consent ledger. Every change is a new receipt; nothing is ever updated (the database
//! refuses it too, see migration 0006). A customer's current choice for a purpose is their
//! newest receipt for it, and counts only if it was given to the purpose's current text.

use crate::audit::{self, Actor, Entry};
use crate::store::Tx;
use crate::{Error, Lang, Portal, Result};

use super::purposes::{self, Purpose};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Give,
    Withdraw,
}

impl Choice {
    pub fn parse(s: &str) -> Option<Choice> {
        match s {
            "give" => Some(Choice::Give),
            "withdraw" => Some(Choice::Withdraw),
            _ => None,
        }
    }

    fn action(self) -> &'static str {
        match self {
            Choice::Give => "given",
            Choice::Withdraw => "withdrawn",
        }
    }
}

/// Where a customer stands on one purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Never given, or withdrawn: the default.
    Off,
    On { since: i64 },
    /// Given to an earlier wording; no longer counts until given again.
    AskedAgain { given_at: i64 },
}

#[derive(Debug, Clone)]
pub struct PurposeState {
    pub purpose: Purpose,
    pub state: State,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub receipt_id: String,
    pub purpose_key: String,
    pub purpose_version: i64,
    /// "given" or "withdrawn".
    pub action: String,
    pub policy_version: i64,
    pub channel: String,
    pub at: i64,
}

fn state_of(latest: Option<&(String, i64, i64)>, version: i64) -> State {
    match latest {
        Some((action, v, at)) if action == "given" && *v == version => State::On { since: *at },
        Some((action, _, at)) if action == "given" => State::AskedAgain { given_at: *at },
        _ => State::Off,
    }
}

/// The newest receipt per purpose: (purpose, action, purpose version, at).
async fn latest(executor: impl sqlx::Executor<'_, Database = sqlx::Any>, customer_id: i64) -> Result<Vec<(String, String, i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT r.purpose_key, r.action, r.purpose_version, r.at FROM consent_receipts r \
         WHERE r.customer_id = $1 AND r.id = (SELECT MAX(x.id) FROM consent_receipts x \
             WHERE x.customer_id = r.customer_id AND x.purpose_key = r.purpose_key)",
    )
    .bind(customer_id)
    .fetch_all(executor)
    .await?)
}

/// Every purpose with the customer's current choice, in catalogue order.
pub async fn overview(portal: &Portal, customer_id: i64, lang: Lang) -> Result<Vec<PurposeState>> {
    let purposes = purposes::load(portal.store.pool(), lang).await?;
    let latest = latest(portal.store.pool(), customer_id).await?;
    Ok(states(purposes, |key| latest.iter().find(|l| l.0 == key).map(|l| (l.1.clone(), l.2, l.3))))
}

/// The same as [`overview`], from receipts already read (newest first, as [`history`] gives
/// them): a customer's newest receipt for a purpose is the first one for it there.
pub fn overview_from(purposes: Vec<Purpose>, history: &[Receipt]) -> Vec<PurposeState> {
    states(purposes, |key| {
        history.iter().find(|r| r.purpose_key == key).map(|r| (r.action.clone(), r.purpose_version, r.at))
    })
}

fn states(purposes: Vec<Purpose>, newest: impl Fn(&str) -> Option<(String, i64, i64)>) -> Vec<PurposeState> {
    purposes
        .into_iter()
        .map(|purpose| {
            let state = state_of(newest(&purpose.key).as_ref(), purpose.version);
            PurposeState { purpose, state }
        })
        .collect()
}

/// Whether the customer's consent for `purpose_key` is in force now. What the company's other
/// systems ask before processing for that purpose.
pub async fn is_given(portal: &Portal, customer_id: i64, purpose_key: &str) -> Result<bool> {
    let version: Option<(i64,)> = sqlx::query_as("SELECT version FROM consent_purposes WHERE key = $1")
        .bind(purpose_key)
        .fetch_optional(portal.store.pool())
        .await?;
    let Some((version,)) = version else { return Ok(false) };
    let latest = latest(portal.store.pool(), customer_id).await?;
    let mine = latest.iter().find(|l| l.0 == purpose_key).map(|l| (l.1.clone(), l.2, l.3));
    Ok(matches!(state_of(mine.as_ref(), version), State::On { .. }))
}

/// Gives or withdraws consent at once. Returns the new receipt, or `None` when the choice was
/// already in force (pressing twice records nothing twice).
#[tracing::instrument(name = "consent.set", skip_all)]
pub async fn set(portal: &Portal, customer_id: i64, purpose_key: &str, choice: Choice, ip: &str) -> Result<Option<Receipt>> {
    let now = portal.now();
    let mut tx = portal.store.begin().await?;
    // Serialises one customer's changes on PostgreSQL (SQLite's write lock already does), so
    // two quick presses cannot both see "off" and record two receipts.
    let locked = sqlx::query("UPDATE customers SET updated_at = updated_at WHERE id = $1")
        .bind(customer_id)
        .execute(&mut *tx)
        .await?;
    if locked.rows_affected() != 1 {
        return Err(Error::Unauthenticated);
    }
    let version: Option<(i64,)> = sqlx::query_as("SELECT version FROM consent_purposes WHERE key = $1")
        .bind(purpose_key)
        .fetch_optional(&mut *tx)
        .await?;
    let Some((version,)) = version else { return Err(Error::NotFound) };
    let latest = latest(&mut *tx, customer_id).await?;
    let mine = latest.iter().find(|l| l.0 == purpose_key).map(|l| (l.1.clone(), l.2, l.3));
    let state = state_of(mine.as_ref(), version);
    let already = match choice {
        Choice::Give => matches!(state, State::On { .. }),
        // Withdrawing an outdated consent is recorded: the customer said no to it explicitly.
        Choice::Withdraw => state == State::Off,
    };
    if already {
        tx.rollback().await?;
        return Ok(None);
    }
    let receipt = Receipt {
        receipt_id: new_receipt_id(),
        purpose_key: purpose_key.to_string(),
        purpose_version: version,
        action: choice.action().to_string(),
        policy_version: super::policy::current_version(&mut *tx).await?,
        channel: super::CHANNEL_PORTAL.to_string(),
        at: now,
    };
    append(&mut tx, customer_id, &receipt).await?;
    let detail = format!("{}:{}", receipt.purpose_key, receipt.receipt_id);
    let action = if choice == Choice::Give { "consent.given" } else { "consent.withdrawn" };
    audit::record(&mut tx, now, Entry { actor: Actor::Customer, customer_id: Some(customer_id), action, detail: &detail, ip: Some(ip) }).await?;
    tx.commit().await?;
    Ok(Some(receipt))
}

/// The only statement that writes the ledger.
async fn append(tx: &mut Tx, customer_id: i64, r: &Receipt) -> Result<()> {
    sqlx::query(
        "INSERT INTO consent_receipts (receipt_id, customer_id, purpose_key, purpose_version, action, policy_version, channel, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&r.receipt_id)
    .bind(customer_id)
    .bind(&r.purpose_key)
    .bind(r.purpose_version)
    .bind(&r.action)
    .bind(r.policy_version)
    .bind(&r.channel)
    .bind(r.at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A receipt id a customer can quote: "CR-" and 16 random characters.
fn new_receipt_id() -> String {
    let token = crate::keys::random_token();
    format!("CR-{}", &token[..16])
}

/// The customer's receipts, newest first.
pub async fn history(portal: &Portal, customer_id: i64) -> Result<Vec<Receipt>> {
    history_on(portal.store.pool(), customer_id).await
}

/// [`history`] on the caller's connection or pool.
pub async fn history_on<'c, E: sqlx::Executor<'c, Database = sqlx::Any>>(exec: E, customer_id: i64) -> Result<Vec<Receipt>> {
    let rows: Vec<(String, String, i64, String, i64, String, i64)> = sqlx::query_as(
        "SELECT receipt_id, purpose_key, purpose_version, action, policy_version, channel, at \
         FROM consent_receipts WHERE customer_id = $1 ORDER BY id DESC",
    )
    .bind(customer_id)
    .fetch_all(exec)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(receipt_id, purpose_key, purpose_version, action, policy_version, channel, at)| Receipt {
            receipt_id,
            purpose_key,
            purpose_version,
            action,
            policy_version,
            channel,
            at,
        })
        .collect())
}
