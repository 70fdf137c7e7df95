use leptos::prelude::*;

use crate::api::enrollment::EnrollmentView;
use crate::i18n::{t, use_lang};

/// A new authenticator key as the customer adds it to their app: a QR code, and the key as text
/// in groups of four (easier to type by hand) with the details apps ask for.
#[component]
pub fn AuthenticatorKey(view: EnrollmentView) -> impl IntoView {
    let lang = use_lang();
    let grouped = view.key.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ");
    view! {
        <div class="enroll-key">
            <figure class="qr">
                <div inner_html=view.qr_svg.clone()></div>
                <figcaption class="visually-hidden">{t(lang, "enroll.qr_caption")}</figcaption>
            </figure>
            <div>
                <p>{t(lang, "enroll.key_label")}</p>
                <p><code id="totp-key" class="key" data-key=view.key.clone()>{grouped}</code></p>
                <dl class="key-details">
                    <dt>{t(lang, "enroll.account")}</dt><dd>{view.account.clone()}</dd>
                    <dt>{t(lang, "enroll.issuer")}</dt><dd>{view.issuer.clone()}</dd>
                    <dt>{t(lang, "enroll.type")}</dt><dd>{t(lang, "enroll.type_value")}</dd>
                </dl>
            </div>
        </div>
    }
}
