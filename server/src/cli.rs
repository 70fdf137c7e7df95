//! `server [serve]` runs the portal; the other commands administer it.

use std::process::ExitCode;

use crate::config::Config;
use crate::startup::Application;

const USAGE: &str = "usage: server [serve | import FILE.json | seed-demo | generate-key\n\
                     | staff add --email EMAIL --role agent|dpo | staff disable --email EMAIL\n\
                     | erasure run [--days-ahead N] | export run | webhook-secret | audit verify\n\
                     | keys status | keys rotate]";

pub async fn run(args: Vec<String>) -> ExitCode {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [] | ["serve"] => serve().await,
        ["import", file] => with_portal(|portal| async move { import(&portal, file).await }).await,
        ["seed-demo"] => with_portal(|portal| async move { seed_demo(&portal).await }).await,
        ["staff", "add", "--email", email, "--role", role] => {
            let Some(role) = domain::staff::Role::parse(role) else {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            };
            with_portal(|portal| async move { staff_add(&portal, email, role).await }).await
        }
        ["staff", "disable", "--email", email] => {
            with_portal(|portal| async move { domain::staff::account::disable(&portal, email).await.map(|()| "disabled; every session of that account has ended".into()) }).await
        }
        // Carries out due erasures and webhook calls now, instead of waiting for the server's
        // next tick. `--days-ahead` runs them as of a later day: for rehearsals and tests.
        ["erasure", "run"] => with_portal(|portal| async move { erasure_run(&portal, 0).await }).await,
        ["erasure", "run", "--days-ahead", days] => {
            let Ok(days) = days.parse::<i64>() else {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            };
            with_portal(|portal| async move { erasure_run(&portal, days).await }).await
        }
        // Builds queued exports (and takes over builds whose server died) now, then sends the
        // mails saying they are ready.
        ["export", "run"] => with_portal(|portal| async move { export_run(&portal).await }).await,
        // Recomputes the audit log's hash chain; exits 1 naming the first altered or missing row.
        ["audit", "verify"] => with_portal(|portal| async move {
            match domain::audit::verify(&portal).await? {
                finding @ domain::audit::Finding::Intact { .. } => Ok(finding.to_string()),
                finding => {
                    eprintln!("{finding}");
                    Err(domain::Error::Internal("the audit log failed verification"))
                }
            }
        })
        .await,
        // Re-wraps every key under CUSTODIA_MASTER_KEY; the one it replaces is given as
        // CUSTODIA_PREVIOUS_MASTER_KEY. Safe to run while the portal serves, and to run again.
        ["keys", "rotate"] => with_portal(|portal| async move {
            let n = domain::vault::rotation::rotate(&portal).await?;
            Ok(format!("re-wrapped {n} keys\n{}", domain::vault::rotation::status(&portal).await?))
        })
        .await,
        ["keys", "status"] => with_portal(|portal| async move { Ok(domain::vault::rotation::status(&portal).await?.to_string()) }).await,
        ["webhook-secret"] => with_portal(|portal| async move { Ok(domain::erasure::webhooks::signing_secret(&portal)) }).await,
        ["generate-key"] => {
            println!("{}", domain::vault::MasterKey::generate_base64());
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

async fn serve() -> ExitCode {
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let app = match Application::build(&config).await {
        Ok(a) => a,
        Err(e) => return fail(&e),
    };
    let addr = app.local_addr();
    tracing::info!(%addr, backend = ?app.portal().store.backend(), "Custodia is listening");
    let mail = if app.transport().is_dev_mailbox() {
        format!("the dev mailbox, http://{addr}/dev/mailbox (no CUSTODIA_SMTP_URL set)")
    } else {
        "the SMTP server in CUSTODIA_SMTP_URL".to_string()
    };
    if config.demo {
        println!(
            "\n  Custodia: http://{addr}/\n  Demo customer: {} / {}\n  Staff console: http://{addr}/staff/sign-in\n    \
             {} (agent) or {} (DPO) / {}, authenticator key {}\n  Mail goes to {mail}\n",
            domain::demo::DEMO_EMAIL,
            domain::demo::DEMO_PASSWORD,
            domain::demo::DEMO_AGENT,
            domain::demo::DEMO_DPO,
            domain::demo::DEMO_STAFF_PASSWORD,
            domain::demo::DEMO_STAFF_TOTP_KEY,
        );
    } else {
        println!("\n  Custodia: http://{addr}/\n  Mail goes to {mail}\n");
    }
    match app.run_until_stopped().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

async fn with_portal<F, Fut>(f: F) -> ExitCode
where
    F: FnOnce(domain::Portal) -> Fut,
    Fut: std::future::Future<Output = Result<String, domain::Error>>,
{
    let setup = async {
        let config = Config::from_env().map_err(|e| e.to_string())?;
        let masters = config.master_keys().map_err(|e| e.to_string())?;
        let store = domain::Store::connect_sized(&config.database_url, config.db_connections).await.map_err(|e| e.to_string())?;
        let keys = domain::Keys::load(&store, masters).await.map_err(|e| e.to_string())?;
        let portal = domain::Portal::new(store, domain::Clock::system(), keys, crate::config::policy_from_env());
        domain::catalogue::ensure_default(&portal).await.map_err(|e| e.to_string())?;
        domain::audit::chain_unchained(&portal).await.map_err(|e| e.to_string())?;
        Ok::<_, String>(portal)
    };
    let portal = match setup.await {
        Ok(p) => p,
        Err(e) => return fail(&e),
    };
    let result = f(portal.clone()).await;
    portal.store.close().await;
    match result {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

async fn import(portal: &domain::Portal, file: &str) -> Result<String, domain::Error> {
    use domain::error::Problem;
    let text = std::fs::read_to_string(file).map_err(|_| domain::Error::invalid("file", Problem::Required))?;
    let parsed = match serde_json::from_str::<domain::import::ImportFile>(&text) {
        Ok(p) => p,
        Err(e) => {
            // Position only: the message itself may quote a customer's data.
            eprintln!("the file is not a valid import at line {}, column {}", e.line(), e.column());
            return Err(domain::Error::invalid("file", Problem::Malformed));
        }
    };
    let summary = domain::import::run(portal, &parsed).await?;
    Ok(format!("imported {} customers and {} records", summary.customers, summary.records))
}

/// Creates a staff account and prints, once, its password and authenticator key. Scripted
/// set-ups (and the browser tests) may choose both through CUSTODIA_STAFF_PASSWORD and
/// CUSTODIA_STAFF_TOTP_KEY (base32); otherwise both are generated.
async fn staff_add(portal: &domain::Portal, email: &str, role: domain::staff::Role) -> Result<String, domain::Error> {
    use domain::error::Problem;
    let chosen = std::env::var("CUSTODIA_STAFF_PASSWORD").ok().filter(|p| !p.is_empty());
    let password = chosen.clone().unwrap_or_else(domain::keys::random_token);
    let secret = match std::env::var("CUSTODIA_STAFF_TOTP_KEY").ok().filter(|k| !k.is_empty()) {
        Some(key) => Some(domain::identity::totp::secret_from_base32(&key).ok_or(domain::Error::invalid("totp_key", Problem::Malformed))?),
        None => None,
    };
    let made = domain::staff::add(portal, email, role, &password, secret).await?;
    let password_line = if chosen.is_some() { "(as given in CUSTODIA_STAFF_PASSWORD)".to_string() } else { password };
    Ok(format!(
        "staff member {} ({}) created\n  password: {password_line}\n  authenticator key: {}\n  or scan: {}\nShown once; hand them over in person.",
        made.pseudonym,
        role.as_str(),
        made.totp_key,
        made.otpauth_uri,
    ))
}

async fn seed_demo(portal: &domain::Portal) -> Result<String, domain::Error> {
    Ok(if domain::demo::seed_if_empty(portal).await? {
        format!("demo customer created: {} / {}", domain::demo::DEMO_EMAIL, domain::demo::DEMO_PASSWORD)
    } else {
        "the database already holds customers; nothing seeded".into()
    })
}

fn fail(e: &dyn std::fmt::Display) -> ExitCode {
    tracing::error!("{e}");
    eprintln!("error: {e}");
    ExitCode::FAILURE
}

/// Runs the erasure job once, then delivers what it queued (webhook calls, receipt mails) in
/// the same run, so a rehearsal `--days-ahead` also sends its mail "on that day".
async fn erasure_run(portal: &domain::Portal, days_ahead: i64) -> Result<String, domain::Error> {
    let transport = Config::from_env()
        .ok()
        .and_then(|c| c.mail_transport().ok())
        .ok_or(domain::Error::Internal("mail settings are invalid"))?;
    portal.clock.advance(days_ahead * 86_400);
    let erased = domain::erasure::job::run_due(portal).await?;
    let told = domain::erasure::webhooks::deliver_due(portal, &domain::erasure::webhooks::client()).await?;
    let mailed = domain::mail::worker::deliver_due(portal, &transport).await?;
    Ok(format!("{erased} erasure(s) carried out; {told} recipient call(s) delivered; {mailed} mail(s) sent"))
}

/// Runs the export job once and delivers the "ready" mails it queued.
async fn export_run(portal: &domain::Portal) -> Result<String, domain::Error> {
    let transport = Config::from_env()
        .ok()
        .and_then(|c| c.mail_transport().ok())
        .ok_or(domain::Error::Internal("mail settings are invalid"))?;
    let ready = domain::export::job::run_due(portal).await?;
    let mailed = domain::mail::worker::deliver_due(portal, &transport).await?;
    Ok(format!("{ready} export(s) ready; {mailed} mail(s) sent"))
}
