use leptos::prelude::*;

use crate::components::failure::Failure;
use leptos_meta::Title;

use crate::api::AppError;
use crate::api::dev_mailbox::dev_mailbox;
use crate::i18n::{t, use_lang};

/// Every message sent, when no SMTP server is configured (`make run`).
#[component]
pub fn DevMailboxPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| dev_mailbox());
    view! {
        <section class="card">
            <Suspense fallback=move || view! { <p>{t(lang, "page.loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(mails) => view! {
                            <Title text=format!("{} · Custodia", t(lang, "mailbox.title"))/>
                            <h1>{t(lang, "mailbox.title")}</h1>
                            <p class="lead">{t(lang, "mailbox.lead")}</p>
                            {mails.is_empty().then(|| view! { <p class="empty">{t(lang, "mailbox.empty")}</p> })}
                            <ol class="mailbox">
                                {mails.into_iter().map(|m| view! {
                                    <li class="mail" data-mail-id=m.id.to_string()>
                                        <h2 class="mail-subject">{m.subject.clone()}</h2>
                                        <p class="muted">
                                            {t(lang, "mailbox.to")} " " <span class="mail-to">{m.to.clone()}</span>
                                            " · " {t(lang, "mailbox.received")} " " {m.received.clone()}
                                        </p>
                                        {(!m.links.is_empty()).then(|| view! {
                                            <p>
                                                {t(lang, "mailbox.links")} ": "
                                                {m.links.iter().map(|l| view! { <a class="mail-link" href=l.clone()>{l.clone()}</a> " " }).collect_view()}
                                            </p>
                                        })}
                                        <details>
                                            <summary>{t(lang, "mailbox.body")}</summary>
                                            <pre class="mail-text">{m.text.clone()}</pre>
                                        </details>
                                    </li>
                                }).collect_view()}
                            </ol>
                        }.into_any(),
                        Err(AppError::NotFound) => view! {
                            <Title text=format!("{} · Custodia", t(lang, "not_found.title"))/>
                            <h1>{t(lang, "not_found.title")}</h1>
                            <p>{t(lang, "not_found.lead")}</p>
                        }.into_any(),
                        Err(e) => view! { <Failure error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
