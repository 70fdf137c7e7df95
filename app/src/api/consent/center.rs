use leptos::prelude::*;

use super::views::ConsentView;
use crate::api::AppError;

/// The consent center of the signed-in customer: every purpose with their choice, their receipts
/// and any privacy-policy change they have not seen.
#[server(endpoint = "consent_center")]
pub async fn consent_center() -> Result<ConsentView, AppError> {
    use super::views::{PurposeView, ReceiptView};
    use crate::api::my_data::RecipientView;
    use crate::api::ssr::*;
    use domain::consent::State;
    use domain::identity::Stage;

    let portal = portal()?;
    // The session and every read on one connection, as "My data" does.
    let mut db = portal.store.reader().await.map_err(internal)?;
    let session = require_session_on(&mut db, &portal, Stage::Full).await?;
    let lang = lang();
    let center = domain::consent::center::read(&mut db, session.customer_id, lang).await.map_err(internal)?;
    let overview = center.purposes;
    let title_of = |key: &str| overview.iter().find(|p| p.purpose.key == key).map(|p| p.purpose.title.clone()).unwrap_or_else(|| key.to_string());
    let unseen = notice_views(center.unseen, &title_of, lang);
    let history = center.history;
    Ok(ConsentView {
        history: history
            .iter()
            .map(|r| ReceiptView {
                receipt_id: r.receipt_id.clone(),
                purpose: title_of(&r.purpose_key),
                action: r.action.clone(),
                policy_version: r.policy_version,
                channel: r.channel.clone(),
                when: domain::locale::date_time(lang, r.at),
            })
            .collect(),
        unseen,
        policy_version: center.policy_version.max(1),
        purposes: overview
            .into_iter()
            .map(|p| {
                let (state, since) = match p.state {
                    State::Off => ("off", None),
                    State::On { since } => ("on", Some(since)),
                    State::AskedAgain { given_at } => ("asked_again", Some(given_at)),
                };
                PurposeView {
                    key: p.purpose.key,
                    title: p.purpose.title,
                    description: p.purpose.description,
                    legal_basis: p.purpose.legal_basis,
                    recipients: p
                        .purpose
                        .recipients
                        .into_iter()
                        .map(|r| RecipientView { name: r.name, role: r.role, country: r.country })
                        .collect(),
                    state: state.to_string(),
                    since: since.map(|t| domain::locale::date(lang, t)),
                }
            })
            .collect(),
    })
}

/// Privacy-policy versions the customer has not seen yet, with the titles of the purposes each
/// asks for again; for the banner on "My data" and the consent page. On the caller's connection,
/// so a page that holds one never waits for a second.
#[cfg(feature = "ssr")]
pub(crate) async fn notices(db: &mut domain::store::Connection, customer_id: i64, lang: domain::Lang) -> Result<Vec<super::views::PolicyNoticeView>, AppError> {
    use crate::api::ssr::internal;

    let unseen = domain::consent::policy::unseen(&mut *db, customer_id, lang).await.map_err(internal)?;
    if unseen.is_empty() {
        return Ok(Vec::new());
    }
    let purposes = domain::consent::purposes::load(&mut *db, lang).await.map_err(internal)?;
    let title_of = |key: &str| purposes.iter().find(|p| p.key == key).map(|p| p.title.clone()).unwrap_or_else(|| key.to_string());
    Ok(notice_views(unseen, &title_of, lang))
}

#[cfg(feature = "ssr")]
fn notice_views(unseen: Vec<domain::consent::PolicyVersion>, title_of: &dyn Fn(&str) -> String, lang: domain::Lang) -> Vec<super::views::PolicyNoticeView> {
    unseen
        .into_iter()
        .map(|v| super::views::PolicyNoticeView {
            version: v.version,
            published: domain::locale::date(lang, v.published_at),
            reworded: v.reworded.iter().map(|k| title_of(k)).collect(),
            summary: v.summary,
        })
        .collect()
}
