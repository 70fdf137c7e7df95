use leptos::prelude::*;

use crate::components::failure::Failure;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use super::outcome;
use crate::api::AppError;
use crate::api::enrollment::{EnrollmentView, enrollment};
use crate::components::{authenticator_key::AuthenticatorKey, field::Field, notice::Notice};
use crate::i18n::{message, t, use_lang};

/// First sign-in: add Custodia to an authenticator app and prove it with a first code.
#[component]
pub fn EnrollPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| enrollment());
    view! {
        <Title text=format!("{} · Custodia", t(lang, "enroll.title"))/>
        <section class="card">
            <h1>{t(lang, "enroll.title")}</h1>
            <Suspense fallback=move || view! { <p>{t(lang, "page.loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(view) => view! { <EnrollSteps view=view/> }.into_any(),
                        Err(AppError::Unauthenticated) => view! { <Redirect path="/sign-in?e=expired"/> }.into_any(),
                        Err(e) => view! { <Failure error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn EnrollSteps(view: EnrollmentView) -> impl IntoView {
    let lang = use_lang();
    let code = outcome();
    let field_error = Signal::derive(move || {
        code.get().filter(|c| c.starts_with("code") || c == "credentials").map(|c| message(lang, &c))
    });
    let notice = Signal::derive(move || {
        code.get().filter(|c| !c.starts_with("code") && c != "credentials").map(|c| (message(lang, &c), true))
    });
    view! {
        <p class="lead">{t(lang, "enroll.lead")}</p>
        <Notice message=notice/>
        <ol class="steps">
            <li>{t(lang, "enroll.step_app")}</li>
            <li>
                {t(lang, "enroll.step_scan")}
                <AuthenticatorKey view=view/>
            </li>
            <li>
                {t(lang, "enroll.step_code")}
                // A plain post, even when hydrated: signing in ends in a full page load, so the pages
            // that follow are rendered in the language on the customer's profile.
            <form method="post" action="/api/confirm_enrollment" class="form">
                    <Field
                        name="code"
                        label=t(lang, "field.totp")
                        inputmode="numeric"
                        autocomplete="one-time-code"
                        error=field_error
                    />
                    <button type="submit" class="button-primary">
                        {t(lang, "enroll.confirm")}
                    </button>
                </form>
            </li>
        </ol>
    }
}
