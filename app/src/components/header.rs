use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::i18n::{Lang, t, use_lang};

/// The bar on every page: a skip link, the name, and the language switch.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let lang = use_lang();
    view! {
        <a class="skip-link" href="#main">{t(lang, "nav.skip")}</a>
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"◆"</span>
                " Custodia"
            </a>
            <LanguageSwitch/>
        </header>
    }
}

/// Plain links, so switching works without JavaScript; the server sets a cookie and sends the
/// browser back to the page it came from.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let lang = use_lang();
    let location = use_location();
    view! {
        <nav class="language-switch" aria-label=t(lang, "nav.language")>
            <ul>
                {Lang::ALL
                    .into_iter()
                    .map(|l| {
                        let href = move || {
                            format!("/language/{}?next={}", l.code(), location.pathname.get())
                        };
                        view! {
                            <li>
                                <a
                                    href=href
                                    rel="external"
                                    hreflang=l.code()
                                    lang=l.code()
                                    aria-current=(l == lang).then_some("true")
                                >
                                    {l.native_name()}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
