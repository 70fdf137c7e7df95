use leptos::prelude::*;

use crate::components::failure::Failure;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::api::AppError;
use crate::api::recovery_codes::recovery_codes;
use super::outcome;
use crate::components::notice::Notice;
use crate::i18n::{message, t, use_lang};

/// The ten recovery codes, shown once right after enrollment.
#[component]
pub fn RecoveryCodesPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| recovery_codes());
    // After replacing the authenticator: what happened, above the new codes.
    let code = outcome();
    let notice = Signal::derive(move || code.get().filter(|c| c == "authenticator_changed").map(|c| (message(lang, &c), false)));
    view! {
        <Title text=format!("{} · Custodia", t(lang, "recovery.title"))/>
        <section class="card">
            <h1>{t(lang, "recovery.title")}</h1>
            <Notice message=notice/>
            <Suspense fallback=move || view! { <p>{t(lang, "page.loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(Some(codes)) => view! {
                            <p class="lead">{t(lang, "recovery.lead")}</p>
                            <p class="notice notice-warn" role="note">{t(lang, "recovery.once")}</p>
                            <ol class="recovery-codes" id="recovery-codes">
                                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                            </ol>
                            <p><a class="button-primary" href="/my-data">{t(lang, "recovery.saved")}</a></p>
                        }.into_any(),
                        Ok(None) => view! {
                            <p>{t(lang, "recovery.already_shown")}</p>
                            <p><a class="button-primary" href="/my-data">{t(lang, "nav.my_data")}</a></p>
                        }.into_any(),
                        Err(AppError::Unauthenticated) => view! { <Redirect path="/sign-in?e=expired"/> }.into_any(),
                        Err(e) => view! { <Failure error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
