use leptos::prelude::*;

use crate::api::AppError;

/// Publishes a new privacy-policy version. The form sends every purpose's description in every
/// language as `wording[]`, each preceded by its `wording_key[]` ("analytics:es"); only the
/// descriptions that differ from the current ones count as rewording. `material[]` is a checkbox
/// ("yes") after a hidden empty value, so the list is there whether it is ticked or not.
#[server(endpoint = "staff_publish_policy")]
pub async fn staff_publish_policy(
    summary_en: String,
    summary_es: String,
    summary_it: String,
    material: Vec<String>,
    wording_key: Vec<String>,
    wording: Vec<String>,
) -> Result<(), AppError> {
    use std::collections::BTreeMap;

    use crate::api::ssr::*;
    use domain::Lang;

    let portal = portal()?;
    let Some(session) = form_staff(&portal).await else { return Ok(()) };
    if wording_key.len() != wording.len() {
        go("/staff/policy?e=invalid#publish");
        return Ok(());
    }
    let mut input = domain::consent::Publish { material: material.iter().any(|m| m == "yes"), ..Default::default() };
    input.summaries.insert(Lang::En, summary_en);
    input.summaries.insert(Lang::Es, summary_es);
    input.summaries.insert(Lang::It, summary_it);
    for (key, text) in wording_key.iter().zip(wording) {
        let Some((purpose, lang)) = key.split_once(':').and_then(|(p, l)| Some((p, Lang::from_code(l)?))) else {
            go("/staff/policy?e=invalid#publish");
            return Ok(());
        };
        input.descriptions.entry(purpose.to_string()).or_insert_with(BTreeMap::new).insert(lang, text);
    }
    match domain::consent::policy::publish(&portal, &session, &input, &meta().ip).await {
        Ok(version) => go(&format!("/staff/policy?e=policy_published&v={version}")),
        Err(domain::Error::Forbidden) => go("/staff?e=forbidden"),
        Err(domain::Error::NotFound) => go("/staff/policy?e=invalid#publish"),
        Err(e) => go(&format!("/staff/policy?e={}#publish", field_outcome(&e))),
    }
    Ok(())
}
