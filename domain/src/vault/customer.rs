//! Each customer's personal fields, sealed at rest under a key of their own. The key is
//! wrapped by the master key and stored beside the customer (`customer_keys`); erasure deletes
//! it, and with it every copy of those fields anywhere becomes unreadable.
//!
//! Sealed fields stay TEXT columns holding `s1.` + base64(nonce ‖ ciphertext ‖ tag); the
//! column's name is authenticated, so a value cannot be moved to another column.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use rand::RngCore;
use sqlx::{Any, Executor};

use super::master::random_key;
use crate::verification::field::AddressValue;
use crate::{Error, Portal, Result};

const PREFIX: &str = "s1.";
const NONCE_LEN: usize = 12;

/// The columns sealed under the customer's key, named as the AAD names them.
pub const SEALED_COLUMNS: [&str; 13] = [
    "customers.email",
    "customers.full_name",
    "customers.phone",
    "customers.date_of_birth",
    "addresses.label",
    "addresses.line1",
    "addresses.line2",
    "addresses.city",
    "addresses.postal_code",
    "addresses.region",
    "pending_changes.new_value",
    "email_reverts.old_email",
    "email_reverts.new_email",
];

/// The sealed name of a column of `customers` that holds a personal field (None: a setting such
/// as the language, kept plain).
pub fn sealed_customer_column(column: &str) -> Option<&'static str> {
    match column {
        "email" => Some("customers.email"),
        "full_name" => Some("customers.full_name"),
        "phone" => Some("customers.phone"),
        "date_of_birth" => Some("customers.date_of_birth"),
        _ => None,
    }
}

pub struct CustomerKey {
    aead: Aes256Gcm,
}

impl CustomerKey {
    fn from_bytes(key: &[u8; 32]) -> Self {
        CustomerKey { aead: Aes256Gcm::new(key.into()) }
    }

    pub fn seal(&self, column: &'static str, plain: &str) -> Result<String> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let sealed = self
            .aead
            .encrypt(Nonce::from_slice(&nonce), Payload { msg: plain.as_bytes(), aad: column.as_bytes() })
            .map_err(|_| Error::Crypto("seal failed"))?;
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        Ok(format!("{PREFIX}{}", STANDARD_NO_PAD.encode(bytes)))
    }

    pub fn seal_opt(&self, column: &'static str, plain: Option<&str>) -> Result<Option<String>> {
        plain.map(|p| self.seal(column, p)).transpose()
    }

    pub fn open(&self, column: &'static str, sealed: &str) -> Result<String> {
        let bytes = sealed
            .strip_prefix(PREFIX)
            .and_then(|b| STANDARD_NO_PAD.decode(b).ok())
            .filter(|b| b.len() > NONCE_LEN)
            .ok_or(Error::Crypto("not a sealed field"))?;
        let (nonce, body) = bytes.split_at(NONCE_LEN);
        let plain = self
            .aead
            .decrypt(Nonce::from_slice(nonce), Payload { msg: body, aad: column.as_bytes() })
            .map_err(|_| Error::Crypto("open failed"))?;
        String::from_utf8(plain).map_err(|_| Error::Crypto("sealed field is not text"))
    }

    pub fn open_opt(&self, column: &'static str, sealed: Option<String>) -> Result<Option<String>> {
        sealed.map(|s| self.open(column, &s)).transpose()
    }
}

/// A key for a customer about to be created: seal their fields with it, then [`store_key`] it
/// in the same transaction once the row has its id.
pub fn new_key() -> ([u8; 32], CustomerKey) {
    let bytes = random_key();
    (bytes, CustomerKey::from_bytes(&bytes))
}

fn context(customer_id: i64) -> String {
    format!("customer-key:{customer_id}")
}

pub async fn store_key(conn: &mut sqlx::AnyConnection, portal: &Portal, customer_id: i64, key: &[u8; 32]) -> Result<()> {
    let (wrapped, master_id) = portal.keys.masters().wrap(&context(customer_id), key)?;
    let now = portal.now();
    sqlx::query(
        "INSERT INTO customer_keys (customer_id, wrapped, master_id, created_at, wrapped_at) VALUES ($1, $2, $3, $4, $4)",
    )
    .bind(customer_id)
    .bind(wrapped)
    .bind(master_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The customer's key, or NotFound when the customer (or, after erasure, their key) is gone.
pub async fn key<'c, E: Executor<'c, Database = Any>>(exec: E, portal: &Portal, customer_id: i64) -> Result<CustomerKey> {
    let row: Option<(Vec<u8>, String)> = sqlx::query_as("SELECT wrapped, master_id FROM customer_keys WHERE customer_id = $1")
        .bind(customer_id)
        .fetch_optional(exec)
        .await?;
    let (wrapped, master_id) = row.ok_or(Error::NotFound)?;
    unwrap(portal, customer_id, &wrapped, &master_id)
}

pub(crate) fn unwrap(portal: &Portal, customer_id: i64, wrapped: &[u8], master_id: &str) -> Result<CustomerKey> {
    let bytes = portal.keys.masters().unwrap(&context(customer_id), wrapped, master_id)?;
    Ok(CustomerKey::from_bytes(&bytes))
}

/// A customer's own fields, opened.
#[derive(Debug, Clone)]
pub struct Person {
    pub email: String,
    pub full_name: String,
    pub phone: Option<String>,
    pub date_of_birth: Option<String>,
    pub preferred_language: String,
}

impl Person {
    pub fn lang(&self) -> crate::Lang {
        crate::Lang::from_code(&self.preferred_language).unwrap_or_default()
    }
}

/// email, full_name, phone, date_of_birth (sealed), preferred_language, the wrapped key and its
/// master's id.
pub(crate) type PersonRow = (String, String, Option<String>, Option<String>, String, Vec<u8>, String);

/// The customer's fields, or None when there is no such customer.
pub async fn person<'c, E: Executor<'c, Database = Any>>(exec: E, portal: &Portal, customer_id: i64) -> Result<Option<Person>> {
    let row: Option<PersonRow> = sqlx::query_as(
        "SELECT c.email, c.full_name, c.phone, c.date_of_birth, c.preferred_language, k.wrapped, k.master_id \
         FROM customers c JOIN customer_keys k ON k.customer_id = c.id WHERE c.id = $1",
    )
    .bind(customer_id)
    .fetch_optional(exec)
    .await?;
    row.map(|row| open_person(portal, customer_id, row)).transpose()
}

/// Opens the sealed columns of a [`PersonRow`], for a read that selected them beside others.
pub(crate) fn open_person(portal: &Portal, customer_id: i64, row: PersonRow) -> Result<Person> {
    Ok(open_person_keeping_key(portal, customer_id, row)?.0)
}

/// As [`open_person`], keeping the unwrapped key for the rest of the customer's rows read
/// beside them (addresses).
pub(crate) fn open_person_keeping_key(portal: &Portal, customer_id: i64, row: PersonRow) -> Result<(Person, CustomerKey)> {
    let (email, full_name, phone, dob, preferred_language, wrapped, master_id) = row;
    let key = unwrap(portal, customer_id, &wrapped, &master_id)?;
    let person = Person {
        email: key.open("customers.email", &email)?,
        full_name: key.open("customers.full_name", &full_name)?,
        phone: key.open_opt("customers.phone", phone)?,
        date_of_birth: key.open_opt("customers.date_of_birth", dob)?,
        preferred_language,
    };
    Ok((person, key))
}

/// As [`person`], NotFound when there is none.
pub async fn existing_person<'c, E: Executor<'c, Database = Any>>(exec: E, portal: &Portal, customer_id: i64) -> Result<Person> {
    person(exec, portal, customer_id).await?.ok_or(Error::NotFound)
}

/// One of the customer's addresses, opened.
#[derive(Debug, Clone)]
pub struct Address {
    pub id: i64,
    pub value: AddressValue,
    pub created_at: i64,
}

type AddressRow = (i64, String, String, Option<String>, String, String, Option<String>, String, i64, Vec<u8>, String);

/// The customer's addresses, oldest first; `only` narrows to one of them.
pub async fn addresses<'c, E: Executor<'c, Database = Any>>(
    exec: E,
    portal: &Portal,
    customer_id: i64,
    only: Option<i64>,
) -> Result<Vec<Address>> {
    let rows: Vec<AddressRow> = sqlx::query_as(
        "SELECT a.id, a.label, a.line1, a.line2, a.city, a.postal_code, a.region, a.country, a.created_at, \
         k.wrapped, k.master_id FROM addresses a JOIN customer_keys k ON k.customer_id = a.customer_id \
         WHERE a.customer_id = $1 AND ($2 = 0 OR a.id = $2) ORDER BY a.id",
    )
    .bind(customer_id)
    .bind(only.unwrap_or(0))
    .fetch_all(exec)
    .await?;
    let Some(first) = rows.first() else {
        return Ok(Vec::new());
    };
    let key = unwrap(portal, customer_id, &first.9, &first.10)?;
    rows.into_iter()
        .map(|(id, label, line1, line2, city, postal_code, region, country, created_at, _, _)| {
            open_address(&key, id, created_at, SealedAddress { label, line1, line2, city, postal_code, region, country })
        })
        .collect()
}

/// An address row as stored: the parts sealed, the country (a code) in the clear.
pub(crate) struct SealedAddress {
    pub label: String,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub postal_code: String,
    pub region: Option<String>,
    pub country: String,
}

pub(crate) fn open_address(key: &CustomerKey, id: i64, created_at: i64, a: SealedAddress) -> Result<Address> {
    Ok(Address {
        id,
        value: AddressValue {
            label: key.open("addresses.label", &a.label)?,
            line1: key.open("addresses.line1", &a.line1)?,
            line2: key.open_opt("addresses.line2", a.line2)?.unwrap_or_default(),
            city: key.open("addresses.city", &a.city)?,
            postal_code: key.open("addresses.postal_code", &a.postal_code)?,
            region: key.open_opt("addresses.region", a.region)?.unwrap_or_default(),
            country: a.country,
        },
        created_at,
    })
}

/// The sealed column values of an address, in the order label, line1, line2, city,
/// postal_code, region (empty optional parts stored as NULL).
pub fn seal_address(key: &CustomerKey, a: &AddressValue) -> Result<[Option<String>; 6]> {
    Ok([
        Some(key.seal("addresses.label", &a.label)?),
        Some(key.seal("addresses.line1", &a.line1)?),
        key.seal_opt("addresses.line2", non_empty(&a.line2))?,
        Some(key.seal("addresses.city", &a.city)?),
        Some(key.seal("addresses.postal_code", &a.postal_code)?),
        key.seal_opt("addresses.region", non_empty(&a.region))?,
    ])
}

fn non_empty(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

/// The customer with this email (any case), found by its keyed hash.
pub async fn id_by_email<'c, E: Executor<'c, Database = Any>>(exec: E, portal: &Portal, email: &str) -> Result<Option<i64>> {
    let lookup = portal.keys.email_lookup(&crate::identity::normalize_email(email));
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM customers WHERE email_lookup = $1").bind(lookup).fetch_optional(exec).await?;
    Ok(row.map(|(id,)| id))
}

/// Sets the email (sealed) and its look-up hash. A taken address is a unique violation.
pub async fn set_email(conn: &mut sqlx::AnyConnection, portal: &Portal, customer_id: i64, email: &str, verified_at: i64) -> Result<()> {
    let email = crate::identity::normalize_email(email);
    let sealed = key(&mut *conn, portal, customer_id).await?.seal("customers.email", &email)?;
    sqlx::query("UPDATE customers SET email = $1, email_lookup = $2, email_verified_at = $3, updated_at = $3 WHERE id = $4")
        .bind(sealed)
        .bind(portal.keys.email_lookup(&email))
        .bind(verified_at)
        .bind(customer_id)
        .execute(conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_field_opens_with_its_key_and_column_only() {
        let (_, key) = new_key();
        let sealed = key.seal("customers.phone", "+34 600 000 000").unwrap();
        assert!(sealed.starts_with(PREFIX) && !sealed.contains("600"));
        assert_eq!(key.open("customers.phone", &sealed).unwrap(), "+34 600 000 000");
        assert!(key.open("customers.full_name", &sealed).is_err(), "moved to another column");
        let (_, other) = new_key();
        assert!(other.open("customers.phone", &sealed).is_err(), "another customer's key");
        assert!(key.open("customers.phone", "+34 600 000 000").is_err(), "plain text is not accepted as sealed");
        assert_ne!(sealed, key.seal("customers.phone", "+34 600 000 000").unwrap(), "a fresh nonce each time");
    }
}
