use leptos::prelude::*;

/// A message at the top of a form or page. Errors are announced at once (role="alert");
/// confirmations politely (role="status").
#[component]
pub fn Notice(#[prop(into)] message: Signal<Option<(&'static str, bool)>>) -> impl IntoView {
    move || {
        message.get().map(|(text, is_error)| {
            view! {
                <p
                    class=if is_error { "notice notice-error" } else { "notice notice-ok" }
                    role=if is_error { "alert" } else { "status" }
                >
                    <span class="notice-icon" aria-hidden="true">{if is_error { "!" } else { "✓" }}</span>
                    " "
                    {text}
                </p>
            }
        })
    }
}
