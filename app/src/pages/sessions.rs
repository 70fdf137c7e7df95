use leptos::prelude::*;

use crate::components::failure::Failure;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use super::outcome;
use crate::api::AppError;
use crate::api::sessions::{ConfirmAndEndSessions, DeviceView, EndOtherSessions, EndSession, my_sessions};
use crate::components::field::Field;
use crate::components::notice::Notice;
use crate::i18n::{error_for, message, t, use_lang};

/// Where the customer is signed in, with a button to end each session, or all the others.
#[component]
pub fn SessionsPage() -> impl IntoView {
    let lang = use_lang();
    // An island page: this component runs on the server only, once per request, so it awaits
    // the server function itself (as "My data" does) rather than through a resource.
    let body = Suspend::new(async move {
        match my_sessions().await {
            Ok(rows) => view! { <Sessions rows=rows/> }.into_any(),
            Err(AppError::Unauthenticated) => view! { <Redirect path="/sign-in?e=expired"/> }.into_any(),
            Err(e) => view! { <Failure error=e/> }.into_any(),
        }
    });
    view! {
        <Title text=format!("{} · Custodia", t(lang, "sessions.title"))/>
        {body}
    }
}

#[component]
fn Sessions(rows: Vec<DeviceView>) -> impl IntoView {
    let lang = use_lang();
    let code = outcome();
    // Field problems (of the code below) show beside the field, not here.
    let notice = Signal::derive(move || code.get().filter(|c| !c.contains('.')).map(|c| (message(lang, &c), c == "invalid")));
    let end = ServerAction::<EndSession>::new();
    let end_others = ServerAction::<EndOtherSessions>::new();
    let others = rows.iter().filter(|r| !r.current).count();
    view! {
        <section class="card" aria-labelledby="sessions-title">
            <p class="aside"><a href="/my-data">{t(lang, "change.back")}</a></p>
            <h1 id="sessions-title">{t(lang, "sessions.title")}</h1>
            <p class="lead">{t(lang, "sessions.lead")} " " <a href="/password">{t(lang, "sessions.change_password")}</a>
                " · " <a href="/authenticator">{t(lang, "sessions.replace_authenticator")}</a></p>
            <Notice message=notice/>
            <ConfirmItsYou/>
            <div class="table-wrap" role="region" aria-labelledby="sessions-title" tabindex="0">
                <table class="sessions">
                    <thead>
                        <tr>
                            <th scope="col">{t(lang, "sessions.device")}</th>
                            <th scope="col">{t(lang, "sessions.address")}</th>
                            <th scope="col">{t(lang, "sessions.signed_in")}</th>
                            <th scope="col">{t(lang, "sessions.last_seen")}</th>
                            <th scope="col"><span class="visually-hidden">{t(lang, "sessions.end")}</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|r| {
                            let label = if r.current { t(lang, "sessions.end_this") } else { t(lang, "sessions.end") };
                            view! {
                                <tr data-current=r.current.to_string()>
                                    <td>{r.device.clone()} {r.current.then(|| view! { " " <strong>{t(lang, "sessions.this_browser")}</strong> })}</td>
                                    <td>{r.ip.clone()}</td>
                                    <td>{r.signed_in.clone()}</td>
                                    <td>{r.last_seen.clone()}</td>
                                    <td>
                                        <ActionForm action=end attr:class="inline-form">
                                            <input type="hidden" name="handle" value=r.handle.clone()/>
                                            <button type="submit" class="button-secondary">{label}<span class="visually-hidden">" " {r.device.clone()}</span></button>
                                        </ActionForm>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {(others > 0).then(|| view! {
                <ActionForm action=end_others attr:class="form form-inline">
                    <button type="submit" class="button-primary">{t(lang, "sessions.end_others")}</button>
                </ActionForm>
            })}
        </section>
    }
}

/// Shown when ending a session asked for a recent proof (`?then=` names what to end): a code
/// from the authenticator, then the act is done.
#[component]
fn ConfirmItsYou() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let code = outcome();
    let then = move || query.read().get("then").filter(|t| t == "others" || (t.len() == 16 && t.bytes().all(|b| b.is_ascii_hexdigit())));
    let error = Signal::derive(move || error_for(lang, code.get().as_deref(), "code"));
    let reason = Signal::derive(move || code.get().filter(|c| c == "reauth.required").map(|c| message(lang, &c)));
    let action = ServerAction::<ConfirmAndEndSessions>::new();
    move || {
        then().map(|then| {
            view! {
                <section class="confirm-its-you" aria-labelledby="reauth-title">
                    <h2 id="reauth-title">{t(lang, "sessions.reauth_title")}</h2>
                    <p>{move || reason.get().unwrap_or_else(|| t(lang, "sessions.reauth_lead"))}</p>
                    <ActionForm action=action attr:class="form form-inline">
                        <input type="hidden" name="then" value=then/>
                        <Field name="code" label=t(lang, "field.code") autocomplete="one-time-code" inputmode="numeric"
                            maxlength=6 autofocus=true error=error/>
                        <button type="submit" class="button-primary">{t(lang, "sessions.reauth_button")}</button>
                    </ActionForm>
                </section>
            }
        })
    }
}
