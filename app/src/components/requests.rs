use leptos::prelude::*;

use crate::api::submit_request::RequestView;
use crate::i18n::{t, term, use_lang};

/// Corrections and disputes the customer sent, with status and the date we must answer by.
#[component]
pub fn Requests(requests: Vec<RequestView>) -> impl IntoView {
    let lang = use_lang();
    if requests.is_empty() {
        return ().into_any();
    }
    view! {
        <section class="card" id="requests" aria-labelledby="requests-title">
            <h2 id="requests-title">{t(lang, "requests.title")}</h2>
            <div class="table-wrap" role="region" aria-labelledby="requests-title" tabindex="0">
                <table>
                    <thead>
                        <tr>
                            <th scope="col">{t(lang, "requests.about")}</th>
                            <th scope="col">{t(lang, "col.status")}</th>
                            <th scope="col">{t(lang, "requests.received")}</th>
                            <th scope="col">{t(lang, "requests.due")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {requests.into_iter().map(|r| view! {
                            <tr data-kind=r.kind.clone()>
                                <td><a href=format!("/requests/{}", r.id)>{term(lang, &format!("request_{}", r.kind))} ": " {term(lang, &format!("subject_{}", r.subject))}</a></td>
                                <td class="request-status">{term(lang, &format!("request_status_{}", r.status))}</td>
                                <td>{r.received.clone()}</td>
                                <td>{r.due.clone()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}
