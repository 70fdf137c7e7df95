//! The whole server on port 0 over a test database, and a browser-like HTTP client for it.
#![allow(dead_code)]

use std::net::SocketAddr;

use domain::Portal;
use reqwest::header::{ACCEPT, COOKIE, ORIGIN};
use reqwest::{Client, Response};
use server::config::{Config, MasterKey};

/// The configuration a test server runs with: port 0, the dev mailbox unless `smtp_url`.
pub fn test_config(smtp_url: Option<String>, public_url: Option<String>) -> Config {
    Config {
        database_url: String::new(),
        addr: "127.0.0.1:0".parse().unwrap(),
        site_root: "target/site".into(),
        public_url,
        master_key: MasterKey::Value(String::new()),
        previous_master_key: None,
        demo: false,
        smtp_url,
        mail_from: "Custodia <privacy@custodia.test>".into(),
        breached_passwords: None,
        db_connections: None,
        serve_threads: 1,
        trusted_proxies: Default::default(),
    }
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub portal: Portal,
    client: Client,
    /// The address people use, when it is not this listener's (behind a TLS-terminating proxy).
    public_url: Option<String>,
}

impl TestApp {
    pub async fn start(portal: Portal) -> TestApp {
        Self::start_configured(portal, None, None).await
    }

    /// Mail to a real SMTP server instead of the dev mailbox.
    pub async fn start_with_smtp(portal: Portal, smtp_url: &str) -> TestApp {
        Self::start_configured(portal, Some(smtp_url.to_string()), None).await
    }

    /// As deployed behind a proxy that terminates TLS: people use `public_url` (https), the proxy
    /// forwards to this listener over plain http, and browsers send that origin.
    pub async fn start_behind_proxy(portal: Portal, public_url: &str) -> TestApp {
        Self::start_configured(portal, None, Some(public_url.to_string())).await
    }

    async fn start_configured(portal: Portal, smtp_url: Option<String>, public_url: Option<String>) -> TestApp {
        Self::start_with_config(portal, test_config(smtp_url, public_url)).await
    }

    /// With settings a test chose (start from [`test_config`]).
    pub async fn start_with_config(portal: Portal, config: Config) -> TestApp {
        let public_url = config.public_url.clone();
        let app = server::Application::build_with(&config, portal.clone()).await.expect("start");
        let addr = app.local_addr();
        let portal = app.portal().clone(); // the one whose links point at this address
        tokio::spawn(app.run_until_stopped());
        // A request that gets no answer fails its test within a minute instead of hanging the run.
        let client = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(60))
            .build()
            .unwrap();
        TestApp { addr, portal, client, public_url }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn origin(&self) -> String {
        self.public_url.clone().unwrap_or_else(|| format!("http://{}", self.addr))
    }

    /// A page as a browser asks for it, with an optional session token.
    pub async fn page(&self, path: &str, token: Option<&str>) -> Response {
        let mut req = self.client.get(self.url(path)).header(ACCEPT, "text/html");
        if let Some(t) = token {
            req = req.header(COOKIE, format!("custodia_session={t}"));
        }
        req.send().await.unwrap()
    }

    /// A plain HTML form post from this site (what the browser does with JavaScript off).
    pub async fn form(&self, endpoint: &str, token: Option<&str>, fields: &[(&str, &str)]) -> Response {
        self.post(endpoint, token, fields, Some("text/html")).await
    }

    /// A server function called as the hydrated app calls it (JSON back).
    pub async fn call(&self, endpoint: &str, token: Option<&str>, fields: &[(&str, &str)]) -> Response {
        self.post(endpoint, token, fields, None).await
    }

    async fn post(&self, endpoint: &str, token: Option<&str>, fields: &[(&str, &str)], accept: Option<&str>) -> Response {
        let mut req = self
            .client
            .post(self.url(&format!("/api/{endpoint}")))
            .header(ORIGIN, self.origin())
            .header("sec-fetch-site", "same-origin")
            .form(fields);
        if let Some(a) = accept {
            req = req.header(ACCEPT, a);
        }
        if let Some(t) = token {
            req = req.header(COOKIE, format!("custodia_session={t}"));
        }
        req.send().await.unwrap()
    }

    /// A request carrying exactly the `cookie` header given (a customer's, a staff member's, or
    /// none): a plain form post when `html`, else a script call.
    pub async fn send(&self, endpoint: &str, cookie: Option<&str>, fields: &[(&str, &str)], html: bool) -> Response {
        let mut req = self
            .client
            .post(self.url(&format!("/api/{endpoint}")))
            .header(ORIGIN, self.origin())
            .header("sec-fetch-site", "same-origin")
            .form(fields);
        if html {
            req = req.header(ACCEPT, "text/html");
        }
        if let Some(c) = cookie {
            req = req.header(COOKIE, c);
        }
        req.send().await.unwrap()
    }

    /// A page as a signed-in member of staff sees it.
    pub async fn staff_page(&self, path: &str, token: &str) -> Response {
        self.client
            .get(self.url(path))
            .header(ACCEPT, "text/html")
            .header(COOKIE, format!("custodia_staff={token}"))
            .send()
            .await
            .unwrap()
    }

    pub fn raw(&self) -> &Client {
        &self.client
    }
}

/// The `Location` header of a redirect.
pub fn location(res: &Response) -> String {
    res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

/// The session token a response sets, if any.
pub fn set_session(res: &Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("custodia_session="))
        .map(|rest| rest.split(';').next().unwrap_or_default().to_string())
}

/// A small xorshift generator: reproducible from its seed, no dependency.
pub struct Gen(pub u64);

impl Gen {
    /// Seeded from the variable `var` when set, else from `default`; the seed is printed so a
    /// failing run can be repeated.
    pub fn from_env(var: &str, default: u64) -> Gen {
        let seed = std::env::var(var).ok().and_then(|v| v.parse().ok()).unwrap_or(default).max(1);
        eprintln!("{var}={seed}");
        Gen(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}
