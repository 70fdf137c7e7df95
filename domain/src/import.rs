//! Loading customers and their records from JSON, for companies trying Custodia on their data.
//! A file is imported whole or not at all.

use serde::{Deserialize, Serialize};

use crate::catalogue::{self, CatalogueFile};
use crate::error::Problem;
use crate::identity::{normalize_email, password};
use crate::verification::field::AddressValue;
use crate::{Error, Lang, Portal, Result, vault};

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ImportFile {
    /// Replaces the data catalogue when present.
    #[serde(default)]
    pub catalogue: Option<CatalogueFile>,
    #[serde(default)]
    pub customers: Vec<ImportCustomer>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ImportCustomer {
    pub email: String,
    /// A password to set (hashed with Argon2id on import) ...
    #[serde(default)]
    pub password: Option<String>,
    /// ... or an Argon2id hash in PHC format carried over from another system.
    #[serde(default)]
    pub password_hash: Option<String>,
    pub full_name: String,
    #[serde(default)]
    pub phone: Option<String>,
    /// ISO date, "1990-03-07".
    #[serde(default)]
    pub date_of_birth: Option<String>,
    #[serde(default)]
    pub preferred_language: Option<String>,
    /// Unix seconds; now when absent.
    #[serde(default)]
    pub created_at: Option<i64>,
    #[serde(default)]
    pub addresses: Vec<ImportAddress>,
    #[serde(default)]
    pub orders: Vec<ImportOrder>,
    #[serde(default)]
    pub support_tickets: Vec<ImportTicket>,
    #[serde(default)]
    pub communication_preferences: Vec<ImportPreference>,
    #[serde(default)]
    pub activity: Vec<ImportActivity>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportAddress {
    pub label: String,
    pub line1: String,
    #[serde(default)]
    pub line2: Option<String>,
    pub city: String,
    pub postal_code: String,
    #[serde(default)]
    pub region: Option<String>,
    pub country: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportOrder {
    pub order_number: String,
    pub placed_at: i64,
    pub status: String,
    pub total_cents: i64,
    pub currency: String,
    pub items_summary: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportTicket {
    pub reference: String,
    pub opened_at: i64,
    pub channel: String,
    pub subject: String,
    pub status: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportPreference {
    pub topic: String,
    pub channel: String,
    pub enabled: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportActivity {
    pub occurred_at: i64,
    pub kind: String,
    #[serde(default)]
    pub detail: String,
    #[serde(default)]
    pub ip: Option<String>,
    #[serde(default)]
    pub user_agent: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportSummary {
    pub customers: usize,
    pub records: usize,
}

pub fn parse(json: &str) -> Result<ImportFile> {
    serde_json::from_str(json).map_err(|_| Error::invalid("import", Problem::Malformed))
}

/// Imports everything in one transaction. Passwords are hashed before the transaction starts.
#[tracing::instrument(name = "import.run", skip_all, fields(customers = file.customers.len()))]
pub async fn run(portal: &Portal, file: &ImportFile) -> Result<ImportSummary> {
    let mut hashes = Vec::with_capacity(file.customers.len());
    for c in &file.customers {
        validate(c)?;
        hashes.push(match (&c.password, &c.password_hash) {
            (Some(p), _) => {
                password::check_policy(p)?;
                password::hash(p).await?
            }
            (None, Some(h)) if h.starts_with("$argon2id$") => h.clone(),
            _ => return Err(Error::invalid("password", Problem::Required)),
        });
    }
    let now = portal.now();
    let mut tx = portal.store.begin().await?;
    if let Some(cat) = &file.catalogue {
        catalogue::replace(&mut tx, cat).await?;
    }
    let mut records = 0;
    for (c, hash) in file.customers.iter().zip(hashes) {
        let created = c.created_at.unwrap_or(now);
        let lang = c.preferred_language.as_deref().and_then(Lang::from_code).unwrap_or_default();
        let email = normalize_email(&c.email);
        let (key_bytes, key) = vault::customer::new_key();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO customers (public_id, email, email_lookup, email_verified_at, password_hash, full_name, \
             phone, date_of_birth, preferred_language, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $4, $4) RETURNING id",
        )
        .bind(public_id())
        .bind(key.seal("customers.email", &email)?)
        .bind(portal.keys.email_lookup(&email))
        .bind(created)
        .bind(hash)
        .bind(key.seal("customers.full_name", c.full_name.trim())?)
        .bind(key.seal_opt("customers.phone", c.phone.as_deref())?)
        .bind(key.seal_opt("customers.date_of_birth", c.date_of_birth.as_deref())?)
        .bind(lang.code())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| {
            let e = Error::from(e);
            if e.is_unique_violation() { Error::invalid("email", Problem::Malformed) } else { e }
        })?;
        vault::customer::store_key(&mut *tx, portal, id, &key_bytes).await?;
        for a in &c.addresses {
            let value = AddressValue {
                label: a.label.clone(),
                line1: a.line1.clone(),
                line2: a.line2.clone().unwrap_or_default(),
                city: a.city.clone(),
                postal_code: a.postal_code.clone(),
                region: a.region.clone().unwrap_or_default(),
                country: a.country.clone(),
            };
            let [label, line1, line2, city, postal_code, region] = vault::customer::seal_address(&key, &value)?;
            sqlx::query(
                "INSERT INTO addresses (customer_id, label, line1, line2, city, postal_code, \
                 region, country, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(id)
            .bind(label)
            .bind(line1)
            .bind(line2)
            .bind(city)
            .bind(postal_code)
            .bind(region)
            .bind(&a.country)
            .bind(created)
            .execute(&mut *tx)
            .await?;
        }
        for o in &c.orders {
            sqlx::query(
                "INSERT INTO orders (customer_id, order_number, placed_at, status, total_cents, \
                 currency, items_summary) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(&o.order_number)
            .bind(o.placed_at)
            .bind(&o.status)
            .bind(o.total_cents)
            .bind(&o.currency)
            .bind(&o.items_summary)
            .execute(&mut *tx)
            .await?;
        }
        for t in &c.support_tickets {
            sqlx::query(
                "INSERT INTO support_tickets (customer_id, reference, opened_at, channel, subject, \
                 status) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(&t.reference)
            .bind(t.opened_at)
            .bind(&t.channel)
            .bind(&t.subject)
            .bind(&t.status)
            .execute(&mut *tx)
            .await?;
        }
        for p in &c.communication_preferences {
            sqlx::query(
                "INSERT INTO communication_preferences (customer_id, topic, channel, enabled, \
                 updated_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(&p.topic)
            .bind(&p.channel)
            .bind(p.enabled as i64)
            .bind(created)
            .execute(&mut *tx)
            .await?;
        }
        for a in &c.activity {
            sqlx::query(
                "INSERT INTO activity_events (customer_id, occurred_at, kind, detail, ip, \
                 user_agent) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(a.occurred_at)
            .bind(&a.kind)
            .bind(&a.detail)
            .bind(a.ip.as_deref())
            .bind(a.user_agent.as_deref())
            .execute(&mut *tx)
            .await?;
        }
        records += c.addresses.len()
            + c.orders.len()
            + c.support_tickets.len()
            + c.communication_preferences.len()
            + c.activity.len();
    }
    tx.commit().await?;
    if file.catalogue.is_some() {
        catalogue::forget(portal);
    }
    Ok(ImportSummary { customers: file.customers.len(), records })
}

fn validate(c: &ImportCustomer) -> Result<()> {
    let email = normalize_email(&c.email);
    if email.is_empty() {
        return Err(Error::invalid("email", Problem::Required));
    }
    if email.len() > 254 {
        return Err(Error::invalid("email", Problem::TooLong));
    }
    let at = email.find('@');
    if !matches!(at, Some(i) if i > 0 && i < email.len() - 1) || email.chars().any(char::is_whitespace) {
        return Err(Error::invalid("email", Problem::Malformed));
    }
    if c.full_name.trim().is_empty() {
        return Err(Error::invalid("full_name", Problem::Required));
    }
    if c.full_name.chars().count() > 200 {
        return Err(Error::invalid("full_name", Problem::TooLong));
    }
    Ok(())
}

/// The customer reference shown to people and staff: never the database row number.
pub fn public_id() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut rng = rand::rngs::OsRng;
    let s: String = (0..10).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect();
    format!("C-{s}")
}
