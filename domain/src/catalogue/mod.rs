//! The data catalogue: for every category of personal data, why it is held, on what legal
//! ground, for how long, where it came from and who receives it. It is the company's to edit;
//! Custodia ships a default so a new install is complete from the first start.

mod cache;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::store::Tx;
use crate::{Lang, Portal, Result};

pub use cache::Cache;

const DEFAULT: &str = include_str!("../../catalogue/default.json");

/// Categories in the order "My data" shows them; the keys the profile read model fills.
pub const CATEGORY_KEYS: [&str; 8] =
    ["profile", "contact", "addresses", "orders", "support", "preferences", "activity", "security"];

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CatalogueFile {
    pub categories: Vec<CategorySpec>,
    /// What customers may consent to (the consent center); installed once, then reworded only
    /// through a published privacy-policy version.
    #[serde(default)]
    pub purposes: Vec<PurposeSpec>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PurposeSpec {
    pub key: String,
    #[serde(default)]
    pub recipients: Vec<Recipient>,
    /// Texts by language code; English is required.
    pub texts: BTreeMap<String, PurposeTexts>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurposeTexts {
    pub title: String,
    pub description: String,
    pub legal_basis: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CategorySpec {
    pub key: String,
    pub retention_days: i64,
    pub retention_action: String,
    /// Texts by language code ("en", "es", "it"); English is required.
    pub texts: BTreeMap<String, CategoryTexts>,
    #[serde(default)]
    pub recipients: Vec<Recipient>,
    /// What erasing a customer keeps of this category; absent: everything is erased.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_erasure: Option<ErasureRule>,
}

/// Records of a category a law makes us keep after the customer asked for erasure: for how long
/// after each record's own date, and which of its fields. The ground is in the texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasureRule {
    pub keep_days: i64,
    pub keep_fields: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CategoryTexts {
    pub title: String,
    pub purpose: String,
    pub legal_basis: String,
    pub retention: String,
    pub source: String,
    /// Why records are kept after an erasure, with the legal reference; empty when none are.
    #[serde(default)]
    pub erasure_ground: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    pub name: String,
    /// "processor", "controller" or "authority".
    pub role: String,
    /// ISO 3166 country code.
    pub country: String,
    /// Where this recipient is told that a customer's data was erased (Article 19 GDPR).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook: Option<String>,
}

/// One category as shown to a customer in one language.
#[derive(Debug, Clone)]
pub struct CategoryInfo {
    pub key: String,
    pub retention_days: i64,
    pub texts: CategoryTexts,
    pub recipients: Vec<Recipient>,
    /// Kept after an erasure: (days after each record's date, fields); `None`: all erased.
    pub on_erasure: Option<ErasureRule>,
}

pub fn default_catalogue() -> Result<CatalogueFile> {
    serde_json::from_str(DEFAULT).map_err(|_| crate::Error::Internal("default catalogue is invalid"))
}

/// Installs the default catalogue if none is there yet.
pub async fn ensure_default(portal: &Portal) -> Result<()> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM data_categories")
        .fetch_one(portal.store.pool())
        .await?;
    if n == 0 {
        let mut tx = portal.store.begin().await?;
        replace(&mut tx, &default_catalogue()?).await?;
        tx.commit().await?;
        forget(portal);
    }
    crate::consent::purposes::ensure_default(portal).await
}

/// Replaces the whole catalogue inside the caller's transaction. The caller calls [`forget`]
/// once it has committed: that also keeps out any read begun before.
pub async fn replace(tx: &mut Tx, file: &CatalogueFile) -> Result<()> {
    for table in ["data_recipients", "data_category_texts", "data_categories"] {
        sqlx::query(&format!("DELETE FROM {table}")).execute(&mut **tx).await?;
    }
    for (position, c) in file.categories.iter().enumerate() {
        if !c.texts.contains_key("en") {
            return Err(crate::Error::invalid("catalogue", crate::error::Problem::Required));
        }
        sqlx::query(
            "INSERT INTO data_categories (key, position, retention_days, retention_action, erasure_keep_days, erasure_keep_fields) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&c.key)
        .bind(position as i64)
        .bind(c.retention_days)
        .bind(&c.retention_action)
        .bind(c.on_erasure.as_ref().map(|r| r.keep_days).unwrap_or(0))
        .bind(c.on_erasure.as_ref().map(|r| r.keep_fields.join(",")).unwrap_or_default())
        .execute(&mut **tx)
        .await?;
        for (lang, t) in &c.texts {
            sqlx::query(
                "INSERT INTO data_category_texts \
                 (category_key, lang, title, purpose, legal_basis, retention, source, erasure_ground) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&c.key)
            .bind(lang)
            .bind(&t.title)
            .bind(&t.purpose)
            .bind(&t.legal_basis)
            .bind(&t.retention)
            .bind(&t.source)
            .bind(&t.erasure_ground)
            .execute(&mut **tx)
            .await?;
        }
        for (i, r) in c.recipients.iter().enumerate() {
            sqlx::query(
                "INSERT INTO data_recipients (category_key, name, role, country, position, webhook) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&c.key)
            .bind(&r.name)
            .bind(&r.role)
            .bind(&r.country)
            .bind(i as i64)
            .bind(&r.webhook)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// Every category in `lang`, falling back to English where a text is missing; see [`cache`] for
/// how fresh it is.
pub async fn load(portal: &Portal, lang: Lang) -> Result<Vec<CategoryInfo>> {
    let generation = match portal.catalogue.get(lang) {
        Ok(list) => return Ok(list.as_ref().clone()),
        Err(generation) => generation,
    };
    let read_at = Instant::now();
    let list = read(portal, lang).await?;
    portal.catalogue.put(lang, generation, read_at, Arc::new(list.clone()));
    Ok(list)
}

/// Drops this process's copy of the catalogue: it changed.
pub fn forget(portal: &Portal) {
    portal.catalogue.forget();
}

async fn read(portal: &Portal, lang: Lang) -> Result<Vec<CategoryInfo>> {
    let rows: Vec<(String, i64, i64, String, String, String, String, String, String, String)> = sqlx::query_as(
        "SELECT c.key, c.retention_days, c.erasure_keep_days, c.erasure_keep_fields, \
                t.title, t.purpose, t.legal_basis, t.retention, t.source, t.erasure_ground \
         FROM data_categories c \
         JOIN data_category_texts t ON t.category_key = c.key \
           AND t.lang = CASE WHEN EXISTS (SELECT 1 FROM data_category_texts x \
                 WHERE x.category_key = c.key AND x.lang = $1) THEN $1 ELSE 'en' END \
         ORDER BY c.position",
    )
    .bind(lang.code())
    .fetch_all(portal.store.pool())
    .await?;
    let recipients: Vec<(String, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT category_key, name, role, country, webhook FROM data_recipients \
         ORDER BY category_key, position",
    )
    .fetch_all(portal.store.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(key, retention_days, keep_days, keep_fields, title, purpose, legal_basis, retention, source, erasure_ground)| {
            let recipients = recipients
                .iter()
                .filter(|(k, ..)| *k == key)
                .map(|(_, name, role, country, webhook)| Recipient {
                    name: name.clone(),
                    role: role.clone(),
                    country: country.clone(),
                    webhook: webhook.clone(),
                })
                .collect();
            CategoryInfo {
                key,
                retention_days,
                texts: CategoryTexts { title, purpose, legal_basis, retention, source, erasure_ground },
                recipients,
                on_erasure: (keep_days > 0).then(|| ErasureRule {
                    keep_days,
                    keep_fields: keep_fields.split(',').filter(|f| !f.is_empty()).map(String::from).collect(),
                }),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_catalogue_covers_every_category_in_every_language() {
        let file = default_catalogue().unwrap();
        let keys: Vec<&str> = file.categories.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, CATEGORY_KEYS);
        for c in &file.categories {
            for lang in Lang::ALL {
                let t = c.texts.get(lang.code()).unwrap_or_else(|| panic!("{} {lang:?}", c.key));
                assert!(!t.purpose.is_empty() && !t.legal_basis.is_empty() && !t.source.is_empty());
            }
        }
        let purposes: Vec<&str> = file.purposes.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(purposes, ["marketing_mail", "personalisation", "analytics", "partner_sharing"]);
        for p in &file.purposes {
            for lang in Lang::ALL {
                let t = p.texts.get(lang.code()).unwrap_or_else(|| panic!("{} {lang:?}", p.key));
                assert!(!t.title.is_empty() && !t.description.is_empty() && !t.legal_basis.is_empty());
            }
        }
    }
}
