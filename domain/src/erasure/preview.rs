//! What an erasure would do, category by category, read from the data catalogue: erased, or
//! kept (how many records, until when, on what ground).

use crate::catalogue::{self, Recipient};
use crate::{Lang, Portal, Result};

#[derive(Debug, Clone)]
pub struct CategoryFate {
    pub key: String,
    pub title: String,
    /// Records of this category erased (1 for account data held in the profile).
    pub erased: i64,
    /// Records kept because a law requires it.
    pub kept: i64,
    /// When the last kept record is deleted in turn.
    pub kept_until: Option<i64>,
    /// The legal ground for keeping them, from the catalogue.
    pub ground: String,
    pub kept_fields: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Preview {
    pub categories: Vec<CategoryFate>,
    /// Everyone who received some of the customer's data and will be told.
    pub recipients: Vec<Recipient>,
    pub grace_days: i64,
}

pub async fn preview(portal: &Portal, customer_id: i64, lang: Lang) -> Result<Preview> {
    let now = portal.now();
    let mut categories = Vec::new();
    let mut recipients: Vec<Recipient> = Vec::new();
    for c in catalogue::load(portal, lang).await? {
        let (mut erased, mut kept, mut kept_until) = (1, 0, None);
        if let Some((table, date)) = super::table_of(&c.key) {
            let (total,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table} WHERE customer_id = $1"))
                .bind(customer_id)
                .fetch_one(portal.store.pool())
                .await?;
            erased = total;
            if let Some(rule) = &c.on_erasure {
                let (n, last): (i64, Option<i64>) =
                    sqlx::query_as(&format!("SELECT COUNT(*), MAX({date}) FROM {table} WHERE customer_id = $1 AND {date} + $2 > $3"))
                        .bind(customer_id)
                        .bind(rule.keep_days * 86_400)
                        .bind(now)
                        .fetch_one(portal.store.pool())
                        .await?;
                kept = n;
                erased -= n;
                kept_until = last.map(|t| t + rule.keep_days * 86_400);
            }
        }
        for r in &c.recipients {
            if !recipients.iter().any(|x| x.name == r.name) {
                recipients.push(r.clone());
            }
        }
        categories.push(CategoryFate {
            key: c.key,
            title: c.texts.title,
            erased,
            kept,
            kept_until,
            ground: if kept > 0 { c.texts.erasure_ground } else { String::new() },
            kept_fields: c.on_erasure.map(|r| r.keep_fields).unwrap_or_default(),
        });
    }
    Ok(Preview { categories, recipients, grace_days: portal.policy.erasure_grace_secs / 86_400 })
}
