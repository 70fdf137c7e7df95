use leptos::prelude::*;
use leptos::tachys::html::InertElement;

use crate::components::failure::Failure;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use crate::api::AppError;
use crate::api::my_data::{MyDataView, my_data};
use super::outcome;
use crate::components::incident_banner::IncidentBanners;
use crate::components::erasure_banner::ErasureBanner;
use crate::components::policy_banner::PolicyBanner;
use crate::components::{category::CategorySection, notice::Notice, pending_changes::PendingChanges, requests::Requests, sign_out::SignOutButton};
use crate::i18n::{message, t, use_lang};

/// Everything held about the customer, category by category.
#[component]
pub fn MyDataPage() -> impl IntoView {
    let lang = use_lang();
    let page = use_query_map().with_untracked(|q| q.get("activity_page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(0));
    // An island page: this component runs on the server only, once per request, so the page is
    // read straight from the server function. A resource would read it in a task of its own,
    // hold it and hand out a deep copy when awaited: 14 % more instructions per page.
    let body = Suspend::new(async move {
        match my_data(page).await {
            // Rendered here into one string, not streamed element by element: the streaming
            // path allocates two strings per element, and this page has hundreds (a fifth less
            // rendering time under load). The same HTML either way.
            Ok(d) => InertElement::new(view! { <MyData data=d/> }.to_html()).into_any(),
            Err(AppError::Unauthenticated) => view! { <Redirect path="/sign-in?e=expired"/> }.into_any(),
            Err(e) => view! { <Failure error=e/> }.into_any(),
        }
    });
    view! {
        <Title text=format!("{} · Custodia", t(lang, "my_data.title"))/>
        {body}
    }
}

#[component]
fn MyData(data: MyDataView) -> impl IntoView {
    let lang = use_lang();
    let code = outcome();
    // Outcomes of change requests made on other pages, or of cancelling one here.
    let notice = Signal::derive(move || {
        code.get().map(|c| (message(lang, &c), !OK_CODES.contains(&c.as_str())))
    });
    view! {
        <div class="page-head">
            <div>
                <h1>{t(lang, "my_data.title")}</h1>
                <p class="lead">{t(lang, "my_data.lead")}</p>
                <p class="muted">{t(lang, "my_data.signed_in_as")} " " <strong>{data.full_name.clone()}</strong> " · " {data.public_id.clone()}</p>
                <ul class="page-links">
                    <li><a href="/consent">{t(lang, "consent.title")}</a></li>
                    <li><a href="/export">{t(lang, "export.title")}</a></li>
                    <li><a href="/access-log">{t(lang, "access.title")}</a></li>
                    <li><a href="/sessions">{t(lang, "sessions.title")}</a></li>
                    <li><a href="/erasure">{t(lang, "erasure.title")}</a></li>
                    <li><a href="/requests/new?subject=privacy">{t(lang, "request.privacy_link")}</a></li>
                </ul>
            </div>
            <SignOutButton/>
        </div>
        <Notice message=notice/>
        <ErasureBanner scheduled=data.erasure.clone()/>
        <IncidentBanners banners=data.banners.clone()/>
        <PolicyBanner notices=data.policy_notices.clone() back="my_data"/>
        <PendingChanges pending=data.pending.clone()/>
        <Requests requests=data.requests.clone()/>
        <div class="layout">
            <nav class="toc" aria-label=t(lang, "my_data.contents")>
                <ul>
                    {data.categories.iter().map(|c| view! {
                        <li><a href=format!("#cat-{}", c.key)>{c.title.clone()}</a></li>
                    }).collect_view()}
                </ul>
            </nav>
            <div class="categories">
                {data.categories.into_iter().map(|c| view! { <CategorySection category=c/> }).collect_view()}
            </div>
        </div>
    }
}

const OK_CODES: [&str; 7] =
    ["change_sent", "change_sent_email", "change_cancelled", "request_sent", "notice_acknowledged", "policy_acknowledged", "erasure_cancelled"];
