//! Ten one-time recovery codes, shown once at enrollment and stored only as keyed hashes.

use rand::Rng;

use crate::store::Tx;
use crate::{Portal, Result};

pub const COUNT: usize = 10;
// No 0/o, 1/l/i: codes are copied by hand from paper.
const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";

/// "k7m2p-x9qre": 10 characters, about 50 bits each.
pub fn generate() -> Vec<String> {
    let mut rng = rand::rngs::OsRng;
    (0..COUNT)
        .map(|_| {
            let s: String =
                (0..10).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect();
            format!("{}-{}", &s[..5], &s[5..])
        })
        .collect()
}

/// The canonical form of what a person typed: no dashes or spaces, lower case.
pub fn normalize(input: &str) -> String {
    input.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase()
}

fn hash(portal: &Portal, customer_id: i64, code: &str) -> String {
    portal.keys.lookup_hash("recovery-code", &format!("{customer_id}:{}", normalize(code)))
}

/// Replaces the customer's codes with `codes`.
pub(crate) async fn store(tx: &mut Tx, portal: &Portal, customer_id: i64, codes: &[String]) -> Result<()> {
    sqlx::query("DELETE FROM recovery_codes WHERE customer_id = $1")
        .bind(customer_id)
        .execute(&mut **tx)
        .await?;
    for code in codes {
        sqlx::query(
            "INSERT INTO recovery_codes (customer_id, code_hash, created_at) VALUES ($1, $2, $3)",
        )
        .bind(customer_id)
        .bind(hash(portal, customer_id, code))
        .bind(portal.now())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Marks the code used if it is one of the customer's unused codes; true when it was. The
/// conditional update makes two concurrent uses of one code succeed at most once.
pub(crate) async fn consume(tx: &mut Tx, portal: &Portal, customer_id: i64, input: &str) -> Result<bool> {
    if normalize(input).len() != 10 {
        return Ok(false);
    }
    let done = sqlx::query(
        "UPDATE recovery_codes SET used_at = $1 \
         WHERE customer_id = $2 AND code_hash = $3 AND used_at IS NULL",
    )
    .bind(portal.now())
    .bind(customer_id)
    .bind(hash(portal, customer_id, input))
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn remaining<'c, E: sqlx::Executor<'c, Database = sqlx::Any>>(exec: E, customer_id: i64) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM recovery_codes WHERE customer_id = $1 AND used_at IS NULL",
    )
    .bind(customer_id)
    .fetch_one(exec)
    .await?;
    Ok(n)
}
