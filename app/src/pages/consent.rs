use leptos::prelude::*;

use crate::components::failure::Failure;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use super::outcome;
use crate::api::AppError;
use crate::api::consent::center::consent_center;
use crate::api::consent::set::SetConsent;
use crate::api::consent::views::{ConsentView, PurposeView, ReceiptView};
use crate::components::{notice::Notice, policy_banner::PolicyBanner};
use crate::i18n::{message, t, term, use_lang};

/// The consent center: each purpose off until the customer turns it on, one button either way,
/// and the history of every change with its receipt.
#[component]
pub fn ConsentPage() -> impl IntoView {
    let lang = use_lang();
    // An island page: this component runs on the server only, once per request (a press on
    // the page is a form post answered by a redirect back here, a new request), so it awaits
    // the server function itself (as "My data" does) rather than through a resource.
    let body = Suspend::new(async move {
        match consent_center().await {
            Ok(v) => view! { <Consent data=v/> }.into_any(),
            Err(AppError::Unauthenticated) => view! { <Redirect path="/sign-in?e=expired"/> }.into_any(),
            Err(e) => view! { <Failure error=e/> }.into_any(),
        }
    });
    view! {
        <Title text=format!("{} · Custodia", t(lang, "consent.title"))/>
        {body}
    }
}

const OK_CODES: [&str; 3] = ["consent_given", "consent_withdrawn", "policy_acknowledged"];

#[component]
fn Consent(data: ConsentView) -> impl IntoView {
    let lang = use_lang();
    let code = outcome();
    let notice = Signal::derive(move || code.get().map(|c| (message(lang, &c), !OK_CODES.contains(&c.as_str()))));
    // One action for every purpose's form: giving and withdrawing are the same request.
    let action = ServerAction::<SetConsent>::new();
    view! {
        <section class="card" aria-labelledby="consent-title">
            <p class="aside"><a href="/my-data">{t(lang, "change.back")}</a></p>
            <h1 id="consent-title">{t(lang, "consent.title")}</h1>
            <p class="lead">{t(lang, "consent.lead")}</p>
            <p class="muted">{t(lang, "consent.policy_version")} " " {data.policy_version}</p>
            <Notice message=notice/>
        </section>
        <PolicyBanner notices=data.unseen.clone() back="consent"/>
        <ul class="purposes">
            {data.purposes.into_iter().map(|p| view! { <PurposeItem purpose=p action=action/> }).collect_view()}
        </ul>
        <History receipts=data.history/>
    }
}

#[component]
fn PurposeItem(purpose: PurposeView, action: ServerAction<SetConsent>) -> impl IntoView {
    let lang = use_lang();
    let id = format!("purpose-{}", purpose.key);
    let title_id = format!("{id}-title");
    let since = purpose.since.clone().unwrap_or_default();
    // Status in words and a symbol, never by colour alone.
    let (symbol, status) = match purpose.state.as_str() {
        "on" => ("●", format!("{} {since}", t(lang, "consent.on_since"))),
        "asked_again" => ("↻", format!("{} {since}. {}", t(lang, "consent.asked_again_since"), t(lang, "consent.asked_again"))),
        _ => ("○", t(lang, "consent.off").to_string()),
    };
    let (choice, button) = match purpose.state.as_str() {
        "on" => ("withdraw", t(lang, "consent.withdraw")),
        "asked_again" => ("give", t(lang, "consent.give_again")),
        _ => ("give", t(lang, "consent.give")),
    };
    let recipients = purpose
        .recipients
        .iter()
        .map(|r| format!("{} ({}, {})", r.name, term(lang, &format!("role_{}", r.role)), r.country))
        .collect::<Vec<_>>()
        .join("; ");
    let (key, state, title) = (purpose.key.clone(), purpose.state.clone(), purpose.title.clone());
    let state_class = format!("purpose-state state-{state}");
    let (item_key, labelled_by) = (key.clone(), title_id.clone());
    view! {
        <li class="card purpose" id=id data-purpose=item_key data-state=state aria-labelledby=labelled_by>
            <h2 id=title_id>{title.clone()}</h2>
            <p class=state_class><span aria-hidden="true">{symbol} " "</span>{status}</p>
            <p>{purpose.description.clone()}</p>
            <dl class="fields">
                <div class="field-row"><dt>{t(lang, "about.legal_basis")}</dt><dd>{purpose.legal_basis.clone()}</dd></div>
                <div class="field-row"><dt>{t(lang, "about.recipients")}</dt><dd>{recipients}</dd></div>
            </dl>
            <ActionForm action=action attr:class="form form-inline">
                <input type="hidden" name="purpose" value=key/>
                <input type="hidden" name="choice" value=choice/>
                <button type="submit" class="button-primary" data-choice=choice>
                    {button}
                    <span class="visually-hidden">" " {title}</span>
                </button>
            </ActionForm>
        </li>
    }
}

#[component]
fn History(receipts: Vec<ReceiptView>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="card" id="history" aria-labelledby="history-title">
            <h2 id="history-title">{t(lang, "consent.history")}</h2>
            <p class="muted">{t(lang, "consent.history_lead")}</p>
            <p><a href="/api/consent_receipts" rel="external" download="consent-receipts.json">{t(lang, "consent.download")}</a></p>
            {if receipts.is_empty() {
                view! { <p class="empty">{t(lang, "consent.history_none")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" role="region" aria-labelledby="history-title" tabindex="0">
                        <table class="consent-history">
                            <thead>
                                <tr>
                                    <th scope="col">{t(lang, "access.when")}</th>
                                    <th scope="col">{t(lang, "consent.purpose")}</th>
                                    <th scope="col">{t(lang, "consent.change")}</th>
                                    <th scope="col">{t(lang, "consent.policy")}</th>
                                    <th scope="col">{t(lang, "consent.receipt")}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {receipts.into_iter().map(|r| view! {
                                    <tr data-action=r.action.clone()>
                                        <td>{r.when.clone()}</td>
                                        <td>{r.purpose.clone()}</td>
                                        <td>{t(lang, &format!("consent.action_{}", r.action))}</td>
                                        <td>{r.policy_version}</td>
                                        <td><code>{r.receipt_id.clone()}</code></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}
