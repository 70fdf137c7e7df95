use leptos::prelude::*;

use crate::api::consent::acknowledge_policy::AcknowledgePolicy;
use crate::api::consent::views::PolicyNoticeView;
use crate::i18n::{t, use_lang};

/// Privacy-policy versions published since the customer last looked: the DPO's summary of each,
/// the consents it asks for again, and a button that says "I have read this".
#[component]
pub fn PolicyBanner(notices: Vec<PolicyNoticeView>, #[prop(into)] back: String) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<AcknowledgePolicy>::new();
    let Some(newest) = notices.iter().map(|n| n.version).max() else {
        return ().into_any();
    };
    let on_consent_page = back == "consent";
    view! {
        <section class="card policy-banner" role="region" aria-labelledby="policy-banner-title">
            <h2 id="policy-banner-title"><span aria-hidden="true">"ℹ "</span>{t(lang, "policy.banner_title")}</h2>
            {notices.into_iter().map(|n| view! {
                <div class="policy-notice" data-version=n.version>
                    <p class="muted">{t(lang, "policy.published")} " " {n.published.clone()}</p>
                    <p>{n.summary.clone()}</p>
                    {(!n.reworded.is_empty()).then(|| view! {
                        <p><strong>{t(lang, "policy.asked_again")}</strong> " " {n.reworded.join(", ")}</p>
                    })}
                </div>
            }).collect_view()}
            {(!on_consent_page).then(|| view! { <p><a href="/consent">{t(lang, "consent.review")}</a></p> })}
            <ActionForm action=action attr:class="form form-inline">
                <input type="hidden" name="version" value=newest/>
                <input type="hidden" name="back" value=back.clone()/>
                <button type="submit" class="button-secondary">{t(lang, "policy.acknowledge")}</button>
            </ActionForm>
        </section>
    }
    .into_any()
}
