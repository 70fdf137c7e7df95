use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::AppError;
use crate::api::staff::views::StaffMeView;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyEditorView {
    pub me: StaffMeView,
    pub versions: Vec<PolicyVersionView>,
    /// Each purpose with its title (in the DPO's language) and description in en, es, it.
    pub purposes: Vec<PurposeWordingView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyVersionView {
    pub version: i64,
    pub published: String,
    pub material: bool,
    pub summary: String,
    pub reworded: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurposeWordingView {
    pub key: String,
    pub title: String,
    pub version: i64,
    /// (language code, description), in the order en, es, it.
    pub descriptions: Vec<(String, String)>,
}

/// Published privacy-policy versions and the purposes' current wording. DPOs only.
#[server(endpoint = "staff_policy")]
pub async fn staff_policy() -> Result<PolicyEditorView, AppError> {
    use crate::api::ssr::*;
    use crate::api::staff::views::convert;

    let portal = portal()?;
    let session = require_staff(&portal).await?;
    session.staff.require_dpo().map_err(internal)?;
    let lang = lang();
    let versions = domain::consent::policy::list(&portal, lang).await.map_err(internal)?;
    let purposes = domain::consent::purposes::load(portal.store.pool(), lang).await.map_err(internal)?;
    let texts = domain::consent::purposes::all_texts(&portal).await.map_err(internal)?;
    Ok(PolicyEditorView {
        me: convert::me(&session.staff),
        versions: versions
            .into_iter()
            .map(|v| PolicyVersionView {
                version: v.version,
                published: if v.published_at == 0 { String::new() } else { domain::locale::date_time(lang, v.published_at) },
                material: v.material,
                summary: v.summary,
                reworded: v.reworded,
            })
            .collect(),
        purposes: purposes
            .into_iter()
            .map(|p| {
                let by_lang = texts.get(&p.key);
                let descriptions = domain::Lang::ALL
                    .iter()
                    .map(|l| {
                        let d = by_lang.and_then(|t| t.get(l.code()).or_else(|| t.get("en"))).map(|t| t.description.clone());
                        (l.code().to_string(), d.unwrap_or_default())
                    })
                    .collect();
                PurposeWordingView { key: p.key, title: p.title, version: p.version, descriptions }
            })
            .collect(),
    })
}
