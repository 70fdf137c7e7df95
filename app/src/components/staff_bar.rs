use leptos::prelude::*;

use crate::api::staff::sign_out::StaffSignOut;
use crate::api::staff::views::StaffMeView;
use crate::i18n::{t, term, use_lang};

/// The console's navigation: who is signed in (role and pseudonym), the queue, DPO oversight,
/// and signing out.
#[component]
pub fn StaffBar(me: StaffMeView) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<StaffSignOut>::new();
    let is_dpo = me.role == "dpo";
    view! {
        <nav class="staff-bar" aria-label=t(lang, "staff.nav")>
            <ul>
                <li><a href="/staff">{t(lang, "staff.queue")}</a></li>
                {is_dpo.then(|| view! {
                    <li><a href="/staff/oversight">{t(lang, "staff.oversight")}</a></li>
                    <li><a href="/staff/incidents">{t(lang, "incidents.title")}</a></li>
                    <li><a href="/staff/policy">{t(lang, "policy.title")}</a></li>
                    <li><a href="/staff/records">{t(lang, "records.title")}</a></li>
                })}
            </ul>
            <p class="staff-me">
                <span data-role=me.role.clone()>{term(lang, &format!("role_{}", me.role))}</span>
                " · "
                <span class="staff-pseudonym">{me.pseudonym.clone()}</span>
            </p>
            <ActionForm action=action attr:class="sign-out">
                <button type="submit" class="button-secondary">{t(lang, "action.sign_out")}</button>
            </ActionForm>
        </nav>
    }
}
