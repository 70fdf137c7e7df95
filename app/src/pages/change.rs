use leptos::prelude::*;

use crate::components::failure::Failure;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::outcome;
use crate::api::AppError;
use crate::api::change_form::{AddressParts, ChangeFormView, change_form};
use crate::api::request_address_change::RequestAddressChange;
use crate::api::request_change::RequestChange;
use crate::components::{field::Field, notice::Notice};
use crate::i18n::{Lang, error_for, message, t, use_lang};

/// Asks for a new value of one field. Submitting stores a pending change and mails a link.
#[component]
pub fn ChangePage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let key = move || params.read().get("field").unwrap_or_default();
    let address_id = move || query.read().get("id").and_then(|v| v.parse::<i64>().ok());
    let data = Resource::new(move || (key(), address_id()), |(f, id)| change_form(f, id));
    view! {
        <Title text=format!("{} · Custodia", t(lang, "change.kicker"))/>
        <section class="card narrow">
            <Suspense fallback=move || view! { <p>{t(lang, "page.loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(v) if v.address.is_some() => view! { <AddressForm view=v/> }.into_any(),
                        Ok(v) => view! { <TextForm view=v/> }.into_any(),
                        Err(AppError::Unauthenticated) => view! { <Redirect path="/sign-in?e=expired"/> }.into_any(),
                        Err(AppError::NotFound) | Err(AppError::BadRequest) => {
                            crate::components::failure::answer(404);
                            view! {
                                <h1>{t(lang, "not_found.title")}</h1>
                                <p><a href="/my-data">{t(lang, "change.back")}</a></p>
                            }.into_any()
                        }
                        Err(e) => view! { <Failure error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// A page-level notice for outcomes that are not about one input.
fn page_notice(lang: Lang, code: Memo<Option<String>>) -> Signal<Option<(&'static str, bool)>> {
    Signal::derive(move || code.get().filter(|c| !c.contains('.')).map(|c| (message(lang, &c), true)))
}

#[component]
fn TextForm(view: ChangeFormView) -> impl IntoView {
    let lang = use_lang();
    let code = outcome();
    let action = ServerAction::<RequestChange>::new();
    let field = view.field.clone();
    let label = t(lang, &format!("field.{field}"));
    let error = {
        let field = field.clone();
        Signal::derive(move || error_for(lang, code.get().as_deref(), &field))
    };
    let current = if field == "preferred_language" {
        crate::i18n::term(lang, &format!("lang_{}", view.current)).into_owned()
    } else if view.current.is_empty() {
        t(lang, "value.none").to_string()
    } else {
        view.current.clone()
    };
    let input = match field.as_str() {
        "preferred_language" => {
            // Preselect a language other than the one held: choosing it is the point of the form.
            let held = view.current.clone();
            let preselect = Lang::ALL.into_iter().find(|l| l.code() != held).unwrap_or_default();
            view! {
                <div class="field" class:has-error=move || error.get().is_some()>
                    <label for="field-value">{t(lang, "change.new_value")}</label>
                    <select id="field-value" name="value" aria-describedby="field-value-error">
                        {Lang::ALL.into_iter().map(|l| view! {
                            <option value=l.code() selected=l == preselect>
                                {l.native_name()}
                            </option>
                        }).collect_view()}
                    </select>
                    <p class="field-error" id="field-value-error">{move || error.get()}</p>
                </div>
            }
            .into_any()
        }
        "phone" => view! {
            <Field name="value" label=t(lang, "change.new_value") kind="tel" autocomplete="tel"
                hint=t(lang, "change.phone_hint") required=false maxlength=25 error=error/>
        }
        .into_any(),
        "email" => view! {
            <Field name="value" label=t(lang, "change.new_value") kind="email" autocomplete="email"
                maxlength=254 error=error/>
        }
        .into_any(),
        _ => view! {
            <Field name="value" label=t(lang, "change.new_value") autocomplete="name" maxlength=100 error=error/>
        }
        .into_any(),
    };
    let lead = if field == "email" { t(lang, "change.lead_email") } else { t(lang, "change.lead") };
    view! {
        <p class="kicker">{t(lang, "change.kicker")}</p>
        <h1>{label}</h1>
        <p class="lead">{lead}</p>
        <Notice message=page_notice(lang, code)/>
        <dl class="fields">
            <div class="field-row">
                <dt>{t(lang, "change.current")}</dt>
                <dd id="current-value">{current}</dd>
            </div>
        </dl>
        <ActionForm action=action attr:class="form">
            <input type="hidden" name="field" value=field.clone()/>
            {input}
            <button type="submit" class="button-primary" disabled=move || action.pending().get()>
                {t(lang, "change.submit")}
            </button>
        </ActionForm>
        <p class="aside"><a href="/my-data">{t(lang, "change.back")}</a></p>
    }
}

#[component]
fn AddressForm(view: ChangeFormView) -> impl IntoView {
    let lang = use_lang();
    let code = outcome();
    let action = ServerAction::<RequestAddressChange>::new();
    let a: AddressParts = view.address.unwrap_or_default();
    let err = move |name: &'static str| Signal::derive(move || error_for(lang, code.get().as_deref(), name));
    view! {
        <p class="kicker">{t(lang, "change.kicker")}</p>
        <h1>{t(lang, "change.address_title")}</h1>
        <p class="lead">{t(lang, "change.lead")}</p>
        <Notice message=page_notice(lang, code)/>
        <ActionForm action=action attr:class="form">
            <input type="hidden" name="address_id" value=a.id.to_string()/>
            <Field name="label" label=t(lang, "field.label") value=a.label.clone() maxlength=40 error=err("label")/>
            <Field name="line1" label=t(lang, "field.line1") value=a.line1.clone() autocomplete="address-line1" maxlength=100 error=err("line1")/>
            <Field name="line2" label=t(lang, "field.line2") value=a.line2.clone() autocomplete="address-line2" required=false maxlength=100 error=err("line2")/>
            <Field name="city" label=t(lang, "field.city") value=a.city.clone() autocomplete="address-level2" maxlength=60 error=err("city")/>
            <Field name="postal_code" label=t(lang, "field.postal_code") value=a.postal_code.clone() autocomplete="postal-code" maxlength=16 error=err("postal_code")/>
            <Field name="region" label=t(lang, "field.region") value=a.region.clone() autocomplete="address-level1" required=false maxlength=60 error=err("region")/>
            <Field name="country" label=t(lang, "field.country") value=a.country.clone() autocomplete="country-name" maxlength=56 error=err("country")/>
            <button type="submit" class="button-primary" disabled=move || action.pending().get()>
                {t(lang, "change.submit")}
            </button>
        </ActionForm>
        <p class="aside"><a href="/my-data">{t(lang, "change.back")}</a></p>
    }
}
