//! Builds the whole application: database, domain handle, HTTP routes and middleware. Binding
//! port 0 lets tests start the real thing.

use std::net::SocketAddr;

use app::api::ssr::WebSettings;
use app::{App, shell};
use axum::Router;
use axum::routing::get;
use domain::{Clock, Portal, Store};
use leptos::prelude::*;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use tokio::net::TcpListener;

use crate::config::Config;
use crate::security::{self, Guard};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error("{0}")]
    Domain(#[from] domain::Error),
    #[error("could not listen on the address: {0}")]
    Listen(std::io::Error),
}

/// The app's page routes, listed once per process. Listing renders the app with resource loading
/// switched off by a process-wide flag (leptos_server's `SuppressResourceLoad`): a page that
/// another router in the same process starts rendering at that moment waits forever (leptos
/// issue #4773). One server lists once, before it serves; tests that start several servers in
/// one process hit it now and then, as a request that never got an answer.
pub fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub struct Application {
    listener: TcpListener,
    /// Read once when bound, so asking for it later cannot fail.
    addr: SocketAddr,
    router: Router,
    portal: Portal,
    transport: domain::mail::Transport,
    /// For the routers of serving threads of their own (see [`crate::serving`]).
    config: Config,
    dev_mailbox: bool,
}

impl Application {
    pub async fn build(config: &Config) -> Result<Self, StartError> {
        let masters = config.master_keys()?;
        let store = Store::connect_sized(&config.database_url, config.db_connections).await?;
        let keys = domain::Keys::load(&store, masters).await?;
        let portal = Portal::new(store, Clock::system(), keys, crate::config::policy_from_env());
        Self::build_with(config, portal).await
    }

    /// With a ready domain handle (tests pass one whose clock they control).
    pub async fn build_with(config: &Config, portal: Portal) -> Result<Self, StartError> {
        domain::catalogue::ensure_default(&portal).await?;
        // Rows from before the audit chain existed are chained before anything new is appended.
        domain::audit::chain_unchained(&portal).await?;
        if config.demo && domain::demo::seed_if_empty(&portal).await? {
            tracing::info!("seeded the demo customer");
        }
        if config.demo && domain::demo::seed_staff_if_absent(&portal).await? {
            tracing::info!("seeded the demo staff");
        }
        let portal = match &config.breached_passwords {
            Some(path) => portal.with_breached_passwords(domain::identity::breached::Corpus::open(path).map_err(|_| {
                crate::config::ConfigError::Invalid("CUSTODIA_BREACHED_PASSWORDS_FILE", "cannot be read, or is not a sorted list of SHA1HEX:COUNT lines")
            })?),
            None => portal,
        };
        let transport = config.mail_transport()?;
        let listener = TcpListener::bind(config.addr).await.map_err(StartError::Listen)?;
        let addr = listener.local_addr().map_err(StartError::Listen)?;
        // Links in mail point where people reach the portal.
        let public = config.public_url.clone().unwrap_or_else(|| format!("http://{addr}"));
        let portal = portal.with_public_url(&public);
        let dev_mailbox = transport.is_dev_mailbox();
        let router = router(config, portal.clone(), dev_mailbox);
        Ok(Application { listener, addr, router, portal, transport, config: config.clone(), dev_mailbox })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn portal(&self) -> &Portal {
        &self.portal
    }

    pub fn transport(&self) -> &domain::mail::Transport {
        &self.transport
    }

    /// Serves until SIGTERM or Ctrl-C, delivering mail and sweeping expired records alongside.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let mail = domain::mail::worker::spawn(self.portal.clone(), self.transport.clone(), MAIL_POLL);
        let retention = domain::retention::spawn(self.portal.clone());
        let erasure = domain::erasure::job::spawn(self.portal.clone(), ERASURE_POLL);
        let export = domain::export::job::spawn(self.portal.clone(), EXPORT_POLL);
        let served = if self.config.serve_threads > 1 {
            let (config, dev_mailbox) = (self.config.clone(), self.dev_mailbox);
            let router = move |portal| router(&config, portal, dev_mailbox);
            crate::serving::serve(self.listener, self.config.serve_threads, self.portal.clone(), router, shutdown_signal()).await
        } else {
            let service = self.router.into_make_service_with_connect_info::<SocketAddr>();
            axum::serve(self.listener, service).with_graceful_shutdown(shutdown_signal()).await
        };
        // Undelivered mail stays in the outbox for the next start.
        mail.abort();
        retention.abort();
        erasure.abort();
        export.abort();
        served
    }
}

/// How often due erasures and recipients' webhook calls are looked for.
const ERASURE_POLL: std::time::Duration = std::time::Duration::from_secs(60);

/// How often queued exports are looked for: often, since someone is watching the progress bar.
const EXPORT_POLL: std::time::Duration = std::time::Duration::from_secs(2);

/// How often the mail worker looks for due retries and mail queued by other instances.
const MAIL_POLL: std::time::Duration = std::time::Duration::from_secs(5);

pub fn router(config: &Config, portal: Portal, dev_mailbox: bool) -> Router {
    let options = LeptosOptions::builder()
        .output_name("custodia")
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .build();
    let web = WebSettings { secure_cookies: config.secure_cookies(), dev_mailbox };
    let context = {
        let portal = portal.clone();
        move || {
            provide_context(portal.clone());
            provide_context(web.clone());
        }
    };
    let routes = route_list();
    let routes = Router::new()
        .route("/healthz", get(health))
        .route("/language/{code}", get(crate::language::choose))
        .route("/export/download", axum::routing::post(crate::export_download::download))
        .leptos_routes_with_context(&options, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<LeptosOptions, _>(context, shell))
        .with_state(options);
    with_layers(routes, config, portal)
}

/// What every route passes through, innermost first: compression, the panic page, link and
/// error-status fixes, the same-origin check, security headers, route telemetry, the request's
/// span, the domain handle. Tests put their own routes under the same stack.
pub fn with_layers(routes: Router, config: &Config, portal: Portal) -> Router {
    let guard = Guard {
        public_origin: config.public_url.as_deref().map(Into::into),
        hsts: config.secure_cookies(),
    };
    routes
        .layer(crate::assets::compression())
        .layer(crate::panics::layer())
        .layer(axum::middleware::from_fn(crate::downloads::links_are_not_forms))
        .layer(axum::middleware::from_fn(crate::error_status::server_fn_status))
        .layer(axum::middleware::from_fn_with_state(guard.clone(), security::same_origin_only))
        .layer(axum::middleware::from_fn_with_state(guard, security::headers))
        .route_layer(axum::middleware::from_fn(crate::telemetry::record_route))
        .layer(axum::middleware::from_fn(crate::telemetry::request_span))
        .layer(axum::middleware::from_fn_with_state(std::sync::Arc::new(config.trusted_proxies.clone()), crate::client_address::resolve))
        .layer(axum::Extension(portal))
        .layer(axum::Extension(crate::export_download::CookieName(app::api::ssr::customer_cookie_name(config.secure_cookies()))))
}

async fn health(axum::Extension(portal): axum::Extension<Portal>) -> (http::StatusCode, &'static str) {
    match portal.store.ping().await {
        Ok(_) => (http::StatusCode::OK, "ok"),
        Err(_) => (http::StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
