//! Privacy-policy versions. A DPO publishes a version with a summary of what changed in each
//! language; customers see the summary on their next visit; a purpose whose description was
//! reworded goes up a version, so consents given to the old words are asked for again; a
//! material change is also mailed to every customer.

use std::collections::BTreeMap;

use crate::audit::{self, Actor, Entry};
use crate::catalogue::PurposeTexts;
use crate::mail::{self, messages, templates};
use crate::requests::clean_text;
use crate::staff::StaffSession;
use crate::store::Tx;
use crate::{Error, Lang, Portal, Result};

pub const MAX_SUMMARY: usize = 2000;
pub const MAX_DESCRIPTION: usize = 1000;

#[derive(Debug, Clone)]
pub struct PolicyVersion {
    pub version: i64,
    pub published_at: i64,
    pub material: bool,
    /// In the language asked for (English where missing).
    pub summary: String,
    /// Keys of the purposes reworded in this version.
    pub reworded: Vec<String>,
}

/// What a DPO submits. `descriptions` holds, per purpose key, the description in each language
/// as the form showed it; only those that differ from the current words count as rewording.
#[derive(Debug, Clone, Default)]
pub struct Publish {
    pub summaries: BTreeMap<Lang, String>,
    pub material: bool,
    pub descriptions: BTreeMap<String, BTreeMap<Lang, String>>,
}

/// Version 1 is the policy in force when Custodia was installed; dated 0 so no customer is told
/// about it as if it were a change.
pub(crate) async fn ensure_first(tx: &mut Tx) -> Result<()> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM privacy_policies").fetch_one(&mut **tx).await?;
    if n > 0 {
        return Ok(());
    }
    sqlx::query("INSERT INTO privacy_policies (version, published_at, published_by, material, reworded) VALUES (1, 0, NULL, 0, '') \
         ON CONFLICT (version) DO NOTHING")
        .execute(&mut **tx)
        .await?;
    for (lang, summary) in [
        ("en", "Our privacy policy as it stands since Custodia opened."),
        ("es", "Nuestra política de privacidad tal como está desde que abrió Custodia."),
        ("it", "La nostra informativa sulla privacy così com'è dall'apertura di Custodia."),
    ] {
        sqlx::query("INSERT INTO privacy_policy_summaries (version, lang, summary) VALUES (1, $1, $2) \
             ON CONFLICT (version, lang) DO NOTHING")
            .bind(lang)
            .bind(summary)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The newest published version (0 on a store not yet set up).
pub async fn current_version<'c, E: sqlx::Executor<'c, Database = sqlx::Any>>(exec: E) -> Result<i64> {
    let (v,): (Option<i64>,) = sqlx::query_as("SELECT MAX(version) FROM privacy_policies").fetch_one(exec).await?;
    Ok(v.unwrap_or(0))
}

const SELECT: &str = "SELECT p.version, p.published_at, p.material, p.reworded, s.summary FROM privacy_policies p \
     JOIN privacy_policy_summaries s ON s.version = p.version \
       AND s.lang = CASE WHEN EXISTS (SELECT 1 FROM privacy_policy_summaries x \
             WHERE x.version = p.version AND x.lang = $1) THEN $1 ELSE 'en' END";

fn row((version, published_at, material, reworded, summary): (i64, i64, i64, String, String)) -> PolicyVersion {
    PolicyVersion {
        version,
        published_at,
        material: material != 0,
        summary,
        reworded: reworded.split(',').filter(|k| !k.is_empty()).map(String::from).collect(),
    }
}

/// Every version, newest first.
pub async fn list(portal: &Portal, lang: Lang) -> Result<Vec<PolicyVersion>> {
    let rows = sqlx::query_as(&format!("{SELECT} ORDER BY p.version DESC"))
        .bind(lang.code())
        .fetch_all(portal.store.pool())
        .await?;
    Ok(rows.into_iter().map(row).collect())
}

/// Versions published since the customer's account was opened that they have not yet seen.
pub async fn unseen<'c, E: sqlx::Executor<'c, Database = sqlx::Any>>(exec: E, customer_id: i64, lang: Lang) -> Result<Vec<PolicyVersion>> {
    let rows = sqlx::query_as(&format!(
        "{SELECT} JOIN customers c ON c.id = $2 \
         WHERE p.version > c.policy_seen AND p.published_at > c.created_at ORDER BY p.version"
    ))
    .bind(lang.code())
    .bind(customer_id)
    .fetch_all(exec)
    .await?;
    Ok(rows.into_iter().map(row).collect())
}

/// The customer has read the summaries up to `version`.
pub async fn acknowledge(portal: &Portal, customer_id: i64, version: i64) -> Result<()> {
    let mut tx = portal.store.begin().await?;
    let newest = current_version(&mut *tx).await?;
    if version < 1 || version > newest {
        return Err(Error::NotFound);
    }
    sqlx::query("UPDATE customers SET policy_seen = $1 WHERE id = $2 AND policy_seen < $1")
        .bind(version)
        .bind(customer_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Publishes the next version; returns its number. One transaction: the version, the reworded
/// purposes and, for a material change, every customer's mail, or none of them.
#[tracing::instrument(name = "consent.publish_policy", skip_all)]
pub async fn publish(portal: &Portal, session: &StaffSession, input: &Publish, ip: &str) -> Result<i64> {
    session.staff.require_dpo()?;
    let mut summaries = BTreeMap::new();
    for lang in Lang::ALL {
        let field = match lang {
            Lang::En => "summary_en",
            Lang::Es => "summary_es",
            Lang::It => "summary_it",
        };
        let text = input.summaries.get(&lang).map(String::as_str).unwrap_or_default();
        summaries.insert(lang, clean_text(field, text, 10, MAX_SUMMARY)?);
    }
    let current = super::purposes::all_texts(portal).await?;
    let mut rewordings: Vec<(String, Lang, PurposeTexts)> = Vec::new();
    for (key, by_lang) in &input.descriptions {
        let Some(texts) = current.get(key) else { return Err(Error::NotFound) };
        for (lang, description) in by_lang {
            let description = clean_text("descriptions", description, 10, MAX_DESCRIPTION)?;
            let now_texts = texts.get(lang.code()).or_else(|| texts.get("en")).cloned().ok_or(Error::NotFound)?;
            if now_texts.description != description {
                rewordings.push((key.clone(), *lang, PurposeTexts { description, ..now_texts }));
            }
        }
    }
    let mut reworded: Vec<String> = rewordings.iter().map(|(k, ..)| k.clone()).collect();
    reworded.dedup();

    let now = portal.now();
    let mut tx = portal.store.begin().await?;
    let version = current_version(&mut *tx).await? + 1;
    sqlx::query("INSERT INTO privacy_policies (version, published_at, published_by, material, reworded) VALUES ($1, $2, $3, $4, $5)")
        .bind(version)
        .bind(now)
        .bind(session.staff.id)
        .bind(i64::from(input.material))
        .bind(reworded.join(","))
        .execute(&mut *tx)
        .await?;
    for (lang, summary) in &summaries {
        sqlx::query("INSERT INTO privacy_policy_summaries (version, lang, summary) VALUES ($1, $2, $3)")
            .bind(version)
            .bind(lang.code())
            .bind(summary)
            .execute(&mut *tx)
            .await?;
    }
    for (key, lang, texts) in &rewordings {
        super::purposes::set_texts(&mut tx, key, lang.code(), texts).await?;
    }
    for key in &reworded {
        sqlx::query("UPDATE consent_purposes SET version = version + 1 WHERE key = $1").bind(key).execute(&mut *tx).await?;
    }
    let mut mailed = 0;
    if input.material {
        mailed = mail_everyone(&mut tx, portal, &summaries, &reworded).await?;
    }
    let detail = format!("{}:version:{version}:reworded:{}:mailed:{mailed}", session.staff.pseudonym, reworded.join("+"));
    audit::record(&mut tx, now, Entry { actor: Actor::Staff, customer_id: None, action: "consent.policy_published", detail: &detail, ip: Some(ip) }).await?;
    tx.commit().await?;
    if mailed > 0 {
        portal.wake_mail();
    }
    Ok(version)
}

/// Queues the material-change mail to every customer, in their language.
async fn mail_everyone(tx: &mut Tx, portal: &Portal, summaries: &BTreeMap<Lang, String>, reworded: &[String]) -> Result<usize> {
    let ids: Vec<(i64,)> = sqlx::query_as("SELECT id FROM customers ORDER BY id").fetch_all(&mut **tx).await?;
    let mut customers = Vec::with_capacity(ids.len());
    for (id,) in ids {
        let p = crate::vault::customer::existing_person(&mut **tx, portal, id).await?;
        customers.push((id, p.email, p.full_name, p.preferred_language));
    }
    let titles: Vec<(String, String, String)> = sqlx::query_as("SELECT purpose_key, lang, title FROM consent_purpose_texts")
        .fetch_all(&mut **tx)
        .await?;
    let url = format!("{}/consent", portal.public_url);
    for (id, email, name, lang) in &customers {
        let lang = Lang::from_code(lang).unwrap_or_default();
        let asked: Vec<String> = reworded
            .iter()
            .filter_map(|k| {
                titles.iter().find(|(key, l, _)| key == k && l == lang.code()).or_else(|| titles.iter().find(|(key, l, _)| key == k && l == "en"))
            })
            .map(|(_, _, title)| title.clone())
            .collect();
        let summary = summaries.get(&lang).cloned().unwrap_or_default();
        let message = messages::policy_changed(lang, name, &summary, &asked, &url);
        mail::enqueue(tx, portal, Some(*id), "policy_changed", &templates::render(email, &message)?).await?;
    }
    Ok(customers.len())
}
