use leptos::prelude::*;

use crate::api::cancel_change::CancelChange;
use crate::api::my_data::{CellView, PendingView};
use crate::i18n::{t, term, use_lang};

/// Changes the customer asked for that wait for link + code, each with a cancel button.
#[component]
pub fn PendingChanges(pending: Vec<PendingView>) -> impl IntoView {
    let lang = use_lang();
    if pending.is_empty() {
        return ().into_any();
    }
    view! {
        <section class="card pending" id="pending" aria-labelledby="pending-title">
            <h2 id="pending-title">{t(lang, "pending.title")}</h2>
            <p class="muted">{t(lang, "pending.lead")}</p>
            <ul class="pending-list">
                {pending.into_iter().map(|p| view! { <PendingItem item=p/> }).collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

#[component]
fn PendingItem(item: PendingView) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<CancelChange>::new();
    let value = match &item.new_value {
        CellView::Text(s) if s.is_empty() => t(lang, "value.none").to_string(),
        CellView::Text(s) => s.clone(),
        CellView::Term(s) => term(lang, s).into_owned(),
    };
    let label = t(lang, &format!("field.{}", item.field));
    view! {
        <li class="pending-item" data-field=item.field.clone()>
            <div>
                <strong>{label}</strong>
                " → "
                <span class="pending-value">{value}</span>
                <p class="muted">{t(lang, "pending.expires")} " " {item.expires.clone()}</p>
            </div>
            <ActionForm action=action attr:class="inline-form">
                <input type="hidden" name="id" value=item.id.to_string()/>
                <button type="submit" class="button-secondary">
                    {t(lang, "pending.cancel")}
                    <span class="visually-hidden">" " {label}</span>
                </button>
            </ActionForm>
        </li>
    }
}
