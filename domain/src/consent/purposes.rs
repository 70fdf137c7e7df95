//! The purposes of the consent center, as the catalogue file installs them and privacy-policy
//! versions reword them.

use std::collections::BTreeMap;

use crate::catalogue::{self, PurposeSpec, PurposeTexts, Recipient};
use crate::store::Tx;
use crate::{Lang, Portal, Result};

/// One purpose in one language, at its current version.
#[derive(Debug, Clone)]
pub struct Purpose {
    pub key: String,
    pub version: i64,
    pub title: String,
    pub description: String,
    pub legal_basis: String,
    pub recipients: Vec<Recipient>,
}

/// Installs the default purposes and privacy-policy version 1 on a new store. Two instances
/// starting together may both get here; the inserts tolerate each other.
pub async fn ensure_default(portal: &Portal) -> Result<()> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM consent_purposes").fetch_one(portal.store.pool()).await?;
    let mut tx = portal.store.begin().await?;
    if n == 0 {
        for (position, p) in catalogue::default_catalogue()?.purposes.iter().enumerate() {
            insert(&mut tx, position as i64, p).await?;
        }
    }
    super::policy::ensure_first(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

async fn insert(tx: &mut Tx, position: i64, p: &PurposeSpec) -> Result<()> {
    if !p.texts.contains_key("en") {
        return Err(crate::Error::invalid("catalogue", crate::error::Problem::Required));
    }
    let recipients = serde_json::to_string(&p.recipients).map_err(|_| crate::Error::Internal("recipients"))?;
    sqlx::query("INSERT INTO consent_purposes (key, position, version, recipients) VALUES ($1, $2, 1, $3) \
         ON CONFLICT (key) DO NOTHING")
        .bind(&p.key)
        .bind(position)
        .bind(recipients)
        .execute(&mut **tx)
        .await?;
    for (lang, t) in &p.texts {
        set_texts(tx, &p.key, lang, t).await?;
    }
    Ok(())
}

pub(crate) async fn set_texts(tx: &mut Tx, key: &str, lang: &str, t: &PurposeTexts) -> Result<()> {
    sqlx::query(
        "INSERT INTO consent_purpose_texts (purpose_key, lang, title, description, legal_basis) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (purpose_key, lang) DO UPDATE SET title = $3, description = $4, legal_basis = $5",
    )
    .bind(key)
    .bind(lang)
    .bind(&t.title)
    .bind(&t.description)
    .bind(&t.legal_basis)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Every purpose in `lang` (English where a text is missing), in catalogue order.
pub async fn load<'c, E: sqlx::Executor<'c, Database = sqlx::Any>>(exec: E, lang: Lang) -> Result<Vec<Purpose>> {
    let rows: Vec<(String, i64, String, String, String, String)> = sqlx::query_as(
        "SELECT p.key, p.version, p.recipients, t.title, t.description, t.legal_basis \
         FROM consent_purposes p \
         JOIN consent_purpose_texts t ON t.purpose_key = p.key \
           AND t.lang = CASE WHEN EXISTS (SELECT 1 FROM consent_purpose_texts x \
                 WHERE x.purpose_key = p.key AND x.lang = $1) THEN $1 ELSE 'en' END \
         ORDER BY p.position",
    )
    .bind(lang.code())
    .fetch_all(exec)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(key, version, recipients, title, description, legal_basis)| Purpose {
            key,
            version,
            title,
            description,
            legal_basis,
            recipients: serde_json::from_str(&recipients).unwrap_or_default(),
        })
        .collect())
}

/// A purpose's texts in every language, for the DPO's rewording form.
pub async fn all_texts(portal: &Portal) -> Result<BTreeMap<String, BTreeMap<String, PurposeTexts>>> {
    let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT purpose_key, lang, title, description, legal_basis FROM consent_purpose_texts ORDER BY purpose_key, lang",
    )
    .fetch_all(portal.store.pool())
    .await?;
    let mut out: BTreeMap<String, BTreeMap<String, PurposeTexts>> = BTreeMap::new();
    for (key, lang, title, description, legal_basis) in rows {
        out.entry(key).or_default().insert(lang, PurposeTexts { title, description, legal_basis });
    }
    Ok(out)
}
