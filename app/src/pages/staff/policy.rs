use leptos::prelude::*;

use crate::components::failure::Failure;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::api::AppError;
use crate::api::consent::policy_editor::{PolicyEditorView, PurposeWordingView, staff_policy};
use crate::api::consent::publish_policy::StaffPublishPolicy;
use crate::components::{notice::Notice, staff_bar::StaffBar};
use crate::i18n::{error_for, message, t, use_lang};
use crate::pages::outcome;

/// Privacy-policy versions (DPOs): what was published when, and the form that publishes the
/// next one, with a summary per language and the purposes' wording to change.
#[component]
pub fn StaffPolicyPage() -> impl IntoView {
    let lang = use_lang();
    let code = outcome();
    let data = Resource::new(move || code.get(), |_| staff_policy());
    view! {
        <Title text=format!("{} · Custodia", t(lang, "policy.title"))/>
        <Suspense fallback=move || view! { <p>{t(lang, "page.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <Policy data=v/> }.into_any(),
                    Err(AppError::Unauthenticated) => view! { <Redirect path="/staff/sign-in?e=expired"/> }.into_any(),
                    Err(e) => view! { <Failure error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Policy(data: PolicyEditorView) -> impl IntoView {
    let lang = use_lang();
    let code = outcome();
    let action = ServerAction::<StaffPublishPolicy>::new();
    let notice = Signal::derive(move || code.get().filter(|c| !c.contains('.')).map(|c| (message(lang, &c), c != "policy_published")));
    let next = data.versions.first().map(|v| v.version + 1).unwrap_or(2);
    let summary = move |name: &'static str, label: &'static str| {
        let error = Signal::derive(move || error_for(lang, code.get().as_deref(), name));
        let id = format!("field-{name}");
        view! {
            <div class="field" class:has-error=move || error.get().is_some()>
                <label for=id.clone()>{t(lang, label)}</label>
                <textarea id=id.clone() name=name rows="3" required maxlength="2000"
                    aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                    aria-describedby=format!("{id}-error")></textarea>
                <p class="field-error" id=format!("{id}-error") aria-live="polite">{move || error.get()}</p>
            </div>
        }
    };
    let wording_error = Signal::derive(move || error_for(lang, code.get().as_deref(), "descriptions"));
    view! {
        <StaffBar me=data.me.clone()/>
        <section class="card" aria-labelledby="policy-title">
            <h1 id="policy-title">{t(lang, "policy.title")}</h1>
            <p class="lead">{t(lang, "policy.lead")}</p>
            <Notice message=notice/>
            <div class="table-wrap" role="region" aria-labelledby="policy-title" tabindex="0">
                <table class="policy-versions">
                    <thead>
                        <tr>
                            <th scope="col">{t(lang, "policy.version")}</th>
                            <th scope="col">{t(lang, "policy.published")}</th>
                            <th scope="col">{t(lang, "policy.summary")}</th>
                            <th scope="col">{t(lang, "policy.reworded")}</th>
                            <th scope="col">{t(lang, "policy.material")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {data.versions.iter().map(|v| view! {
                            <tr data-version=v.version>
                                <td>{v.version}</td>
                                <td>{v.published.clone()}</td>
                                <td>{v.summary.clone()}</td>
                                <td>{v.reworded.join(", ")}</td>
                                <td>{t(lang, if v.material { "policy.material_yes" } else { "policy.material_no" })}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <section class="card" id="publish" aria-labelledby="publish-title">
            <h2 id="publish-title">{t(lang, "policy.publish_title")} " " {next}</h2>
            <ActionForm action=action attr:class="form">
                {summary("summary_en", "policy.summary_en")}
                {summary("summary_es", "policy.summary_es")}
                {summary("summary_it", "policy.summary_it")}
                <p class="hint">{t(lang, "policy.wording_hint")}</p>
                <p class="field-error" id="field-descriptions-error" aria-live="polite">{move || wording_error.get()}</p>
                {data.purposes.into_iter().map(|p| view! { <Wording purpose=p/> }).collect_view()}
                <fieldset class="field">
                    <legend>{t(lang, "policy.material")}</legend>
                    <input type="hidden" name="material[]" value=""/>
                    <label class="check"><input type="checkbox" name="material[]" value="yes"/> " " {t(lang, "policy.material_hint")}</label>
                </fieldset>
                <button type="submit" class="button-primary">{t(lang, "policy.publish")}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn Wording(purpose: PurposeWordingView) -> impl IntoView {
    let lang = use_lang();
    view! {
        <details class="wording" data-purpose=purpose.key.clone()>
            <summary>{purpose.title.clone()} " (" {t(lang, "policy.version")} " " {purpose.version} ")"</summary>
            {purpose.descriptions.into_iter().map(|(code, text)| {
                let id = format!("wording-{}-{code}", purpose.key);
                view! {
                    <div class="field">
                        <label for=id.clone()>{t(lang, &format!("policy.description_{code}"))}</label>
                        <input type="hidden" name="wording_key[]" value=format!("{}:{code}", purpose.key)/>
                        <textarea id=id name="wording[]" rows="3" required maxlength="1000" aria-describedby="field-descriptions-error">{text}</textarea>
                    </div>
                }
            }).collect_view()}
        </details>
    }
}
