#![recursion_limit = "512"]
//! The browser entry point. Everything it shows was rendered by the server first; this only hydrates.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
