#![recursion_limit = "512"]
//! The browser entry point. Pages are rendered by the server and work without it; this hydrates
//! only the islands (`#[island]` components) on them.

// Linked for its islands, which register themselves; nothing here names them.
extern crate app;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
