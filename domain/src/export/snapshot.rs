//! Everything held about a customer apart from the activity log, read in one go: these are a
//! few hundred rows at most. Values are raw (ISO dates, cents), the way machines read them.

use serde::Serialize;

use crate::identity::recovery;
use crate::locale::iso_utc;
use crate::{Error, Lang, Portal, Result, vault};

#[derive(Debug, Serialize)]
pub struct Snapshot {
    pub customer_reference: String,
    pub profile: Profile,
    pub contact: Contact,
    pub addresses: Vec<Address>,
    pub orders: Vec<Order>,
    pub support_tickets: Vec<Ticket>,
    pub communication_preferences: Vec<Preference>,
    pub requests: Vec<RequestRow>,
    pub security: Security,
    pub sessions: Vec<SessionRow>,
    pub consent_history: Vec<ConsentRow>,
    pub staff_access: Vec<AccessRow>,
    #[serde(skip)]
    pub lang: Lang,
}

#[derive(Debug, Serialize)]
pub struct Profile {
    pub full_name: String,
    pub date_of_birth: Option<String>,
    pub customer_since: String,
}

#[derive(Debug, Serialize)]
pub struct Contact {
    pub email: String,
    pub email_verified_at: Option<String>,
    pub phone: Option<String>,
    pub preferred_language: String,
}

#[derive(Debug, Serialize)]
pub struct Address {
    pub label: String,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub postal_code: String,
    pub region: Option<String>,
    pub country: String,
}

#[derive(Debug, Serialize)]
pub struct Order {
    pub order_number: String,
    pub placed_at: String,
    pub status: String,
    pub items: String,
    pub total_cents: i64,
    pub currency: String,
}

#[derive(Debug, Serialize)]
pub struct Ticket {
    pub reference: String,
    pub opened_at: String,
    pub channel: String,
    pub subject: String,
    pub status: String,
}

#[derive(Debug, Serialize)]
pub struct Preference {
    pub topic: String,
    pub channel: String,
    pub enabled: bool,
    pub updated_at: String,
}

#[derive(Debug, Serialize)]
pub struct RequestRow {
    pub kind: String,
    pub subject: String,
    pub status: String,
    pub received_at: String,
    pub due_at: String,
}

#[derive(Debug, Serialize)]
pub struct Security {
    /// Never the hash itself: it would help nobody and is a secret of the sign-in.
    pub password: &'static str,
    pub two_step_enabled_at: Option<String>,
    pub recovery_codes_left: i64,
}

#[derive(Debug, Serialize)]
pub struct SessionRow {
    pub signed_in_at: String,
    pub last_seen_at: String,
    pub ip: String,
    pub device: String,
}

#[derive(Debug, Serialize)]
pub struct ConsentRow {
    pub receipt_id: String,
    pub purpose: String,
    pub purpose_version: i64,
    pub action: String,
    pub privacy_policy_version: i64,
    pub channel: String,
    pub at: String,
}

#[derive(Debug, Serialize)]
pub struct AccessRow {
    pub at: String,
    pub staff_role: String,
    pub staff_pseudonym: String,
    pub what: String,
    pub reason: String,
}

pub const PASSWORD_NOTE: &str = "stored only as an Argon2id hash; not included";

fn iso(t: Option<i64>) -> Option<String> {
    t.map(iso_utc)
}

pub async fn read(portal: &Portal, customer_id: i64) -> Result<Snapshot> {
    let pool = portal.store.pool();
    let c: (String, i64, Option<i64>, Option<i64>) =
        sqlx::query_as("SELECT public_id, created_at, email_verified_at, totp_enabled_at FROM customers WHERE id = $1")
            .bind(customer_id)
            .fetch_optional(pool)
            .await?
            .ok_or(Error::NotFound)?;
    let (public_id, created_at, verified_at, totp_at) = c;
    let vault::Person { email, full_name, phone, date_of_birth: dob, preferred_language: lang } =
        vault::customer::existing_person(pool, portal, customer_id).await?;
    let addresses = vault::customer::addresses(pool, portal, customer_id, None).await?;
    let orders: Vec<(String, i64, String, i64, String, String)> = sqlx::query_as(
        "SELECT order_number, placed_at, status, total_cents, currency, items_summary FROM orders \
         WHERE customer_id = $1 ORDER BY placed_at DESC, id DESC",
    )
    .bind(customer_id)
    .fetch_all(pool)
    .await?;
    let tickets: Vec<(String, i64, String, String, String)> = sqlx::query_as(
        "SELECT reference, opened_at, channel, subject, status FROM support_tickets WHERE customer_id = $1 \
         ORDER BY opened_at DESC, id DESC",
    )
    .bind(customer_id)
    .fetch_all(pool)
    .await?;
    let preferences: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT topic, channel, enabled, updated_at FROM communication_preferences WHERE customer_id = $1 ORDER BY topic, channel",
    )
    .bind(customer_id)
    .fetch_all(pool)
    .await?;
    let sessions: Vec<(i64, i64, String, String)> = sqlx::query_as(
        "SELECT created_at, last_seen_at, ip, user_agent FROM sessions WHERE customer_id = $1 AND stage = 'full' \
         ORDER BY last_seen_at DESC",
    )
    .bind(customer_id)
    .fetch_all(pool)
    .await?;
    let requests = crate::requests::for_customer(portal.store.pool(), customer_id).await?;
    let consents = crate::consent::ledger::history(portal, customer_id).await?;
    let access = crate::staff::access::for_customer(portal, customer_id, i64::MAX).await?;

    Ok(Snapshot {
        customer_reference: public_id,
        profile: Profile { full_name, date_of_birth: dob, customer_since: iso_utc(created_at) },
        contact: Contact { email, email_verified_at: iso(verified_at), phone, preferred_language: lang.clone() },
        addresses: addresses
            .into_iter()
            .map(|a| {
                let a = a.value;
                let some = |s: String| (!s.is_empty()).then_some(s);
                Address { label: a.label, line1: a.line1, line2: some(a.line2), city: a.city, postal_code: a.postal_code, region: some(a.region), country: a.country }
            })
            .collect(),
        orders: orders
            .into_iter()
            .map(|(order_number, at, status, total_cents, currency, items)| Order {
                order_number,
                placed_at: iso_utc(at),
                status,
                items,
                total_cents,
                currency,
            })
            .collect(),
        support_tickets: tickets
            .into_iter()
            .map(|(reference, at, channel, subject, status)| Ticket { reference, opened_at: iso_utc(at), channel, subject, status })
            .collect(),
        communication_preferences: preferences
            .into_iter()
            .map(|(topic, channel, on, at)| Preference { topic, channel, enabled: on != 0, updated_at: iso_utc(at) })
            .collect(),
        requests: requests
            .into_iter()
            .map(|r| RequestRow {
                kind: r.kind,
                subject: r.subject,
                status: r.status,
                received_at: iso_utc(r.received_at),
                due_at: iso_utc(r.due_at),
            })
            .collect(),
        security: Security {
            password: PASSWORD_NOTE,
            two_step_enabled_at: iso(totp_at),
            recovery_codes_left: recovery::remaining(portal.store.pool(), customer_id).await?,
        },
        sessions: sessions
            .into_iter()
            .map(|(a, b, ip, device)| SessionRow { signed_in_at: iso_utc(a), last_seen_at: iso_utc(b), ip, device })
            .collect(),
        consent_history: consents
            .into_iter()
            .map(|r| ConsentRow {
                receipt_id: r.receipt_id,
                purpose: r.purpose_key,
                purpose_version: r.purpose_version,
                action: r.action,
                privacy_policy_version: r.policy_version,
                channel: r.channel,
                at: iso_utc(r.at),
            })
            .collect(),
        staff_access: access
            .into_iter()
            .map(|a| AccessRow { at: iso_utc(a.at), staff_role: a.role, staff_pseudonym: a.pseudonym, what: a.what, reason: a.reason })
            .collect(),
        lang: Lang::from_code(&lang).unwrap_or_default(),
    })
}
