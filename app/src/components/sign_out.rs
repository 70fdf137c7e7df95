use leptos::prelude::*;

use crate::api::sign_out::SignOut;
use crate::i18n::{t, use_lang};

#[component]
pub fn SignOutButton() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<SignOut>::new();
    view! {
        <ActionForm action=action attr:class="sign-out">
            <button type="submit" class="button-secondary">{t(lang, "action.sign_out")}</button>
        </ActionForm>
    }
}
