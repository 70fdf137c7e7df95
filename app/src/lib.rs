//! Custodia's web application: pages, components and server functions, rendered on the server
//! and hydrated in the browser. Every page works without JavaScript.
#![recursion_limit = "512"]

pub mod api;
pub mod components;
pub mod i18n;
pub mod pages;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, provide_meta_context};
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::components::header::SiteHeader;
use crate::pages::{
    change::ChangePage, confirm::ConfirmPage, confirmed::ConfirmedPage, dev_mailbox::DevMailboxPage,
    revert_email::RevertEmailPage, new_request::NewRequestPage,
    enroll::EnrollPage, my_data::MyDataPage, not_found::NotFoundPage,
    recovery_codes::RecoveryCodesPage, sign_in::SignInPage, sign_in_code::SignInCodePage,
    access_log::AccessLogPage, my_request::MyRequestPage, consent::ConsentPage, erasure::ErasurePage, export::ExportPage, sessions::SessionsPage, password::PasswordPage, authenticator::AuthenticatorPage,
    forgot_password::ForgotPasswordPage, reset_password::ResetPasswordPage,
    staff::{customer::StaffCustomerPage, incident::StaffIncidentPage, incidents::StaffIncidentsPage, records::StaffRecordsPage, oversight::StaffOversightPage, policy::StaffPolicyPage, queue::StaffQueuePage, request::StaffRequestPage, sign_in::StaffSignInPage},
};

/// The HTML document around the app; rendered only on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = i18n::request_lang();
    #[cfg(feature = "ssr")]
    if let Some(nonce) = use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<api::ssr::CspNonce>().cloned())
    {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(i18n::request_lang());

    view! {
        <Stylesheet id="leptos" href="/pkg/custodia.css"/>
        <Router>
            // Lets tests (and curious people) tell a page whose islands are live from plain HTML.
            <components::islands::HydrationMark/>
            <SiteHeader/>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=|| view! { <Redirect path="/my-data"/> }/>
                    <Route path=path!("/sign-in") view=SignInPage/>
                    <Route path=path!("/sign-in/code") view=SignInCodePage/>
                    <Route path=path!("/enroll") view=EnrollPage ssr=SsrMode::Async/>
                    <Route path=path!("/recovery-codes") view=RecoveryCodesPage ssr=SsrMode::Async/>
                    <Route path=path!("/my-data") view=MyDataPage ssr=SsrMode::Async/>
                    <Route path=path!("/change/:field") view=ChangePage ssr=SsrMode::Async/>
                    <Route path=path!("/confirm/:token") view=ConfirmPage ssr=SsrMode::Async/>
                    <Route path=path!("/confirmed") view=ConfirmedPage/>
                    <Route path=path!("/requests/new") view=NewRequestPage/>
                    <Route path=path!("/requests/:id") view=MyRequestPage ssr=SsrMode::Async/>
                    <Route path=path!("/access-log") view=AccessLogPage ssr=SsrMode::Async/>
                    <Route path=path!("/consent") view=ConsentPage ssr=SsrMode::Async/>
                    <Route path=path!("/erasure") view=ErasurePage ssr=SsrMode::Async/>
                    <Route path=path!("/export") view=ExportPage ssr=SsrMode::Async/>
                    <Route path=path!("/sessions") view=SessionsPage ssr=SsrMode::Async/>
                    <Route path=path!("/password") view=PasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/password/forgot") view=ForgotPasswordPage/>
                    <Route path=path!("/password/reset/:token") view=ResetPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/authenticator") view=AuthenticatorPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/sign-in") view=StaffSignInPage/>
                    <Route path=path!("/staff") view=StaffQueuePage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/requests/:id") view=StaffRequestPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/customers/:reference") view=StaffCustomerPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/oversight") view=StaffOversightPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/incidents") view=StaffIncidentsPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/incidents/:id") view=StaffIncidentPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/records") view=StaffRecordsPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/policy") view=StaffPolicyPage ssr=SsrMode::Async/>
                    <Route path=path!("/revert-email/:token") view=RevertEmailPage ssr=SsrMode::Async/>
                    <Route path=path!("/dev/mailbox") view=DevMailboxPage ssr=SsrMode::Async/>
                </Routes>
            </main>
        </Router>
    }
}
