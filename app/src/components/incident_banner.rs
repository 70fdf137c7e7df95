use leptos::prelude::*;

use crate::api::incidents::acknowledge::AcknowledgeNotice;
use crate::api::incidents::views::BannerView;
use crate::i18n::{t, use_lang};

/// A security incident that may have affected the customer's data, shown until they say they
/// have read it. Stated in words and an icon, not by colour alone.
#[component]
pub fn IncidentBanners(banners: Vec<BannerView>) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<AcknowledgeNotice>::new();
    banners
        .into_iter()
        .map(|b| {
            view! {
                <section class="card incident-banner" role="region" aria-labelledby=format!("incident-{}", b.notice_id) data-notice=b.notice_id>
                    <h2 id=format!("incident-{}", b.notice_id)><span aria-hidden="true">"⚠ "</span>{t(lang, "incident.banner_title")}</h2>
                    <p class="muted">{t(lang, "incident.banner_sent")} " " {b.notified.clone()}</p>
                    <dl class="fields">
                        <div class="field-row"><dt>{t(lang, "incident.what")}</dt><dd>{b.what_happened.clone()}</dd></div>
                        <div class="field-row"><dt>{t(lang, "incident.consequences")}</dt><dd>{b.consequences.clone()}</dd></div>
                        <div class="field-row"><dt>{t(lang, "incident.measures")}</dt><dd>{b.measures.clone()}</dd></div>
                    </dl>
                    <p><a href="/requests/new?subject=privacy">{t(lang, "incident.ask")}</a></p>
                    <ActionForm action=action attr:class="form form-inline">
                        <input type="hidden" name="id" value=b.notice_id/>
                        <button type="submit" class="button-secondary">{t(lang, "incident.acknowledge")}</button>
                    </ActionForm>
                </section>
            }
        })
        .collect_view()
}
