use leptos::prelude::*;

use crate::components::failure::Failure;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::api::AppError;
use crate::api::staff::oversight::staff_oversight;
use crate::api::staff::views::OversightView;
use crate::components::staff_bar::StaffBar;
use crate::i18n::{t, term, use_lang};

/// DPOs: alerts on unusual reading of customer data, and how customers rate our answers.
#[component]
pub fn StaffOversightPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| staff_oversight());
    view! {
        <Title text=format!("{} · Custodia", t(lang, "staff.oversight"))/>
        <Suspense fallback=move || view! { <p>{t(lang, "page.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(o) => view! { <Oversight data=o/> }.into_any(),
                    Err(AppError::Unauthenticated) => view! { <Redirect path="/staff/sign-in?e=expired"/> }.into_any(),
                    Err(e) => view! { <Failure error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Oversight(data: OversightView) -> impl IntoView {
    let lang = use_lang();
    view! {
        <StaffBar me=data.me.clone()/>
        <section class="card" aria-labelledby="alerts-title">
            <h1 id="alerts-title">{t(lang, "staff.alerts_title")}</h1>
            {if data.alerts.is_empty() {
                view! { <p class="empty">{t(lang, "staff.alerts_none")}</p> }.into_any()
            } else {
                view! {
                    <ul class="alerts">
                        {data.alerts.iter().map(|a| view! {
                            <li>{a.when.clone()} " · " {term(lang, &format!("role_{}", a.role))} " " {a.pseudonym.clone()} " · "
                                {a.reads} " " {t(lang, "staff.reads_in_hour")}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="ratings-title">
            <h2 id="ratings-title">{t(lang, "staff.ratings_title")}</h2>
            <ul class="ratings">
                {data.ratings.iter().map(|r| view! {
                    <li data-kind=r.kind.clone()>{term(lang, &format!("request_{}", r.kind))} ": " {r.average.clone()} "/5 (" {r.count} ")"</li>
                }).collect_view()}
            </ul>
        </section>
    }
}
