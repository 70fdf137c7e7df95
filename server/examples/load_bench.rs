//! Load benchmark (run on demand: `make bench-load`, not a timed test).
//!
//! Starts the release server binary on loopback against a fresh SQLite file and a fresh
//! PostgreSQL database (`LOAD_BACKENDS=sqlite,postgres`), seeds 200 enrolled customers, each
//! with a signed-in session (on PostgreSQL then `VACUUM ANALYZE`, as autovacuum would after such a
//! load; `LOAD_VACUUM=0` skips it), and runs 200 concurrent users (`LOAD_USERS`):
//!
//! 1. baseline, `LOAD_BASELINE_SECS` (default 60): every user reads their "My data" page, first
//!    driven by `wrk` (Debian's, C, one thread: little CPU taken from the server), then by the
//!    in-process client the mixed phase uses, so the two generators can be compared;
//! 2. paced, `LOAD_PACED_SECS` (default: the baseline's length): "My data" offered at a fixed
//!    `LOAD_RATE` (default 2000 req/s) by the same users, open loop, each request timed from
//!    when it was due (`LOAD_RATE=0` skips it), from one bare keep-alive connection per user;
//! 3. mixed, `LOAD_SECS` (default 600): each user picks, per request, "My data" (60 %), the
//!    consent center (10 %), "Where you are signed in" (10 %), turning a consent purpose on or
//!    off (10 %, a write with a receipt) or signing in with a password (10 %, an Argon2id hash);
//!    then as long again with each sign-in replaced by a pause as long as the median sign-in
//!    took, so the same number of users are busy with pages and only the hashing is gone.
//!
//! Prints per flow: requests, errors (any status but the expected one, or no answer), p50, p99,
//! max, and throughput; the server's resident memory when idle after start-up and its peak.
//! Targets (issue #7): "My data" at least 2,000 req/s with p99 at most 50 ms; idle memory at most
//! 30 MiB; with sign-ins in the mix, the other pages' p99 at most 2x their p99 without.
//! The load generator runs on the same machine (2 cores here), so it takes CPU from the server.
//! After each "My data" phase it prints the CPU time per page of the server and of PostgreSQL's
//! processes, the generator's share, and how idle the machine was and how much the host took
//! (steal): on a saturated 2-core machine these say where the time went when throughput moves.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use domain::testing::{TestDb, enrolled, free_port, test_master_key_base64, wait_healthy, PASSWORD};
use bytes::Bytes;
use domain::Backend;
use http_body_util::{BodyExt, Empty};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use tokio::sync::Mutex;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Flow {
    MyData,
    Consent,
    Sessions,
    SetConsent,
    SignIn,
}

const FLOWS: [Flow; 5] = [Flow::MyData, Flow::Consent, Flow::Sessions, Flow::SetConsent, Flow::SignIn];

impl Flow {
    fn name(self) -> &'static str {
        match self {
            Flow::MyData => "GET /my-data (signed in)",
            Flow::Consent => "GET /consent (signed in)",
            Flow::Sessions => "GET /sessions (signed in)",
            Flow::SetConsent => "POST set_consent (write + receipt)",
            Flow::SignIn => "POST sign_in (Argon2id)",
        }
    }

    /// Picks a flow for the mixed phase from a random number in 0..100.
    fn mixed(roll: u32) -> Flow {
        match roll {
            0..60 => Flow::MyData,
            60..70 => Flow::Consent,
            70..80 => Flow::Sessions,
            80..90 => Flow::SetConsent,
            _ => Flow::SignIn,
        }
    }
}

#[derive(Default)]
struct Tally {
    micros: Vec<Vec<u32>>,
    errors: Vec<u64>,
}

impl Tally {
    fn new() -> Self {
        Tally { micros: vec![Vec::new(); FLOWS.len()], errors: vec![0; FLOWS.len()] }
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let users = env_u64("LOAD_USERS", 200) as usize;
    let baseline = Duration::from_secs(env_u64("LOAD_BASELINE_SECS", 60));
    let mixed = Duration::from_secs(env_u64("LOAD_SECS", 600));
    let backends = std::env::var("LOAD_BACKENDS").unwrap_or_else(|_| "sqlite,postgres".into());
    for name in backends.split(',') {
        let backend = match name.trim() {
            "sqlite" => Backend::Sqlite,
            "postgres" => Backend::Postgres,
            other => panic!("unknown backend {other}"),
        };
        run(backend, users, baseline, mixed).await;
    }
}

fn server_binary() -> std::path::PathBuf {
    // LOAD_SERVER_BIN compares another build (an A/B run on the same machine, same seed data).
    if let Ok(bin) = std::env::var("LOAD_SERVER_BIN") {
        return bin.into();
    }
    // target/release/examples/load_bench -> target/release/server
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().unwrap().parent().unwrap().join("server");
    assert!(bin.exists(), "build the server first: cargo build --release -p server (make bench-load does)");
    bin
}

fn start(url: &str, port: u16) -> Child {
    let log = std::env::var("LOAD_SERVER_LOG").ok().map(|path| std::fs::File::create(path).expect("LOAD_SERVER_LOG: a file to write"));
    Command::new(server_binary())
        .env("DATABASE_URL", url)
        .env("CUSTODIA_ADDR", format!("127.0.0.1:{port}"))
        .env("CUSTODIA_MASTER_KEY", test_master_key_base64())
        // LOAD_SERVER_LOG=<file> keeps the server's log, at RUST_LOG's level, for profiling
        // (RUST_LOG=sqlx::query=debug lists every statement a page sends, with its time).
        .env("RUST_LOG", if log.is_some() { std::env::var("RUST_LOG").unwrap_or_else(|_| "info".into()) } else { "warn".into() })
        .stdout(log.as_ref().and_then(|f| f.try_clone().ok()).map_or_else(Stdio::null, Stdio::from))
        .stderr(log.map_or_else(Stdio::null, Stdio::from))
        .spawn()
        .expect("start the server")
}

/// (resident, peak resident) of a process, in KiB, from /proc.
fn memory(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status.lines().find_map(|l| l.strip_prefix(name)).and_then(|v| v.split_whitespace().next()).and_then(|n| n.parse().ok()).unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

async fn run(backend: Backend, users: usize, baseline: Duration, mixed: Duration) {
    let Some(db) = TestDb::new(backend).await else {
        println!("\n{backend:?}: skipped (no database)");
        return;
    };
    // One customer per user, each signed in once (their session is what the load uses).
    let mut people = Vec::with_capacity(users);
    for i in 0..users {
        let email = format!("load{i}@example.test");
        let (token, _, _) = enrolled(&db.portal, &email).await;
        people.push((email, token));
    }
    // The seed is a bulk load into fresh tables (about 84,000 activity events). A running
    // portal's tables have been visited by autovacuum, which sets the visibility map (so a
    // COUNT reads the index alone) and gathers statistics; it gets to a fresh load a minute or
    // so later, in the middle of a phase. Measure the steady state; LOAD_VACUUM=0 measures the
    // minute after the load instead.
    if backend == Backend::Postgres && env_u64("LOAD_VACUUM", 1) == 1 {
        sqlx::query("VACUUM ANALYZE").execute(db.portal.store.pool()).await.expect("VACUUM ANALYZE after seeding");
    }
    let port = free_port();
    let mut server = start(&db.url, port);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(users)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    wait_healthy(&client, port).await;
    // Idle: started, one page served per customer (caches warm), then left alone for a moment.
    for (_, token) in people.iter().take(20) {
        let _ = request(&client, port, Flow::MyData, token, "", 0).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (idle_kib, _) = memory(server.id());

    println!("\n### {backend:?}: {users} concurrent users on loopback\n");
    println!("Idle memory after start-up: {:.1} MiB resident\n", idle_kib as f64 / 1024.0);
    let window = CpuWindow::start(server.id());
    let (wrk, wrk_pages, wrk_cpu) = wrk_my_data(port, &people, baseline);
    println!("{wrk}");
    cpu_report("wrk", window, wrk_pages, baseline, Some(wrk_cpu));
    let window = CpuWindow::start(server.id());
    let base = phase(&client, port, &people, baseline, Mix::MyDataOnly).await;
    report(&format!("Baseline, {} s, \"My data\" only, in-process client", baseline.as_secs()), &base, baseline);
    cpu_report("the in-process client", window, base.micros[Flow::MyData as usize].len() as u64, baseline, None);
    // Open loop: requests leave on a fixed timetable whatever the server does, and each one's
    // time counts from when it was due, so a server that falls behind cannot hide its queue.
    let rate = env_u64("LOAD_RATE", 2000);
    let paced_len = Duration::from_secs(env_u64("LOAD_PACED_SECS", baseline.as_secs()));
    if rate > 0 && !paced_len.is_zero() {
        let window = CpuWindow::start(server.id());
        let started = Instant::now();
        let paced = paced(port, &people, paced_len, rate).await;
        // A server that falls behind is still answering after the timetable ends: throughput
        // is over the time it took to answer every request.
        let took = started.elapsed();
        report(&format!("Paced, {} s, \"My data\" only, {rate} req/s offered by {users} users, timed from when each request was due; all answered after {:.1} s", paced_len.as_secs(), took.as_secs_f64()), &paced, took);
        cpu_report("the bare-connection client", window, paced.micros[Flow::MyData as usize].len() as u64, took, None);
    }
    let mix = phase(&client, port, &people, mixed, Mix::WithSignIns).await;
    // LOAD_SECS=0 measures the baseline alone.
    if !mixed.is_zero() {
        report(&format!("Mixed flows, {} s", mixed.as_secs()), &mix, mixed);
        // The same users and pages, each sign-in replaced by a pause as long as a sign-in took:
        // as many users busy with pages as before, only the hashing gone.
        let pause = Duration::from_micros(percentile(&mix.micros[Flow::SignIn as usize], 0.5) as u64);
        let calm = phase(&client, port, &people, mixed, Mix::PauseForSignIns(pause)).await;
        report(&format!("Mixed flows without sign-ins (a {:.1} s pause in their place), {} s", pause.as_secs_f64(), mixed.as_secs()), &calm, mixed);
        let p99 = |t: &Tally, f: Flow| percentile(&t.micros[f as usize], 0.99) as f64 / 1000.0;
        for f in [Flow::MyData, Flow::Consent, Flow::Sessions, Flow::SetConsent] {
            let (with, without) = (p99(&mix, f), p99(&calm, f));
            if without > 0.0 {
                println!("- {}: p99 {with:.1} ms with sign-ins, {without:.1} ms without = {:.2}x", f.name(), with / without);
            }
        }
        println!();
    }
    let (_, peak_kib) = memory(server.id());
    println!("Peak memory (VmHWM) over the run: {:.1} MiB\n", peak_kib as f64 / 1024.0);
    server.kill().ok();
    server.wait().ok();
    db.finish().await;
}

/// The "My data" baseline measured by wrk: a C load generator that takes far less CPU from the
/// server than the in-process client does. Each request carries the next user's session, and a
/// Lua hook counts every answer but 200 (a 302 to sign-in would otherwise pass as a success).
fn wrk_my_data(port: u16, people: &[(String, String)], length: Duration) -> (String, u64, Duration) {
    let dir = std::env::temp_dir().join(format!("custodia-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("my_data.lua");
    let tokens: Vec<String> = people.iter().map(|(_, t)| format!("\"{t}\"")).collect();
    std::fs::write(
        &script,
        format!(
            r#"local tokens = {{ {} }}
local n = 0
bad = 0
local threads = {{}}
function setup(thread) table.insert(threads, thread) end
function request()
  n = n + 1
  return wrk.format("GET", "/my-data", {{ ["Cookie"] = "custodia_session=" .. tokens[n % #tokens + 1] }})
end
function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local b = 0
  for _, t in ipairs(threads) do b = b + t:get("bad") end
  io.write(string.format("not 200: %d, socket errors: %d\n", b,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"#,
            tokens.join(", ")
        ),
    )
    .unwrap();
    let mut child = Command::new("wrk")
        .args(["-t1", &format!("-c{}", people.len()), &format!("-d{}s", length.as_secs()), "--latency", "-s"])
        .arg(&script)
        .arg(format!("http://127.0.0.1:{port}/my-data"))
        .stdout(Stdio::piped())
        .spawn()
        .expect("wrk (Debian package wrk; scripts/setup.sh bench installs it)");
    // wrk's own CPU time, read until it exits (its report is a few lines: the pipe cannot fill).
    let mut wrk_cpu = Duration::ZERO;
    while child.try_wait().ok().flatten().is_none() {
        wrk_cpu = wrk_cpu.max(cpu_time(child.id()));
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = child.wait_with_output().expect("wrk's report");
    std::fs::remove_dir_all(&dir).ok();
    let text = String::from_utf8_lossy(&out.stdout);
    // "  123456 requests in 60.00s, ..."
    let pages = text.lines().find_map(|l| l.split_once(" requests in ")).and_then(|(n, _)| n.trim().parse().ok()).unwrap_or(0);
    (format!("Baseline, {} s, \"My data\" only, wrk (1 thread, {} connections):\n\n```\n{}```\n", length.as_secs(), people.len(), text), pages, wrk_cpu)
}

/// CPU time (user + system) a process has used so far, from /proc/<pid>/stat.
fn cpu_time(pid: u32) -> Duration {
    static TICKS: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let hz = *TICKS.get_or_init(|| {
        let out = Command::new("getconf").arg("CLK_TCK").output().ok();
        out.and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok()).unwrap_or(100)
    });
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The command name, in parentheses, may hold spaces; utime and stime are the 12th and 13th
    // fields after it.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let fields: Vec<u64> = rest.split_whitespace().map(|v| v.parse().unwrap_or(0)).collect();
    let ticks = fields.get(11).copied().unwrap_or(0) + fields.get(12).copied().unwrap_or(0);
    Duration::from_millis(ticks * 1000 / hz)
}

/// CPU time of every PostgreSQL process on the machine (the benchmark's database is the only
/// busy one): on PostgreSQL the database's work per page is as much of the budget as the server's.
/// A process that ends within a phase takes its time with it, so a phase's figure is a lower
/// bound; the server's pooled connections, which do the work, live for the whole run.
fn postgres_cpu() -> Duration {
    let mut total = Duration::ZERO;
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else { continue };
        let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        if comm.trim() == "postgres" {
            total += cpu_time(pid);
        }
    }
    total
}

/// The machine's CPU ticks from /proc/stat: (all, idle + iowait, steal). Steal is time the
/// hypervisor gave this machine's cores to someone else: it shows when a slow run was the host's doing.
fn machine_ticks() -> (u64, u64, u64) {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let line = stat.lines().next().unwrap_or("");
    let v: Vec<u64> = line.split_whitespace().skip(1).map(|x| x.parse().unwrap_or(0)).collect();
    let at = |i: usize| v.get(i).copied().unwrap_or(0);
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    (v.iter().take(8).sum(), at(3) + at(4), at(7))
}

/// What the machine's CPU did over one phase, read at its start.
struct CpuWindow {
    server: (u32, Duration),
    generator: Duration,
    postgres: Duration,
    machine: (u64, u64, u64),
}

impl CpuWindow {
    fn start(server: u32) -> Self {
        CpuWindow {
            server: (server, cpu_time(server)),
            generator: cpu_time(std::process::id()),
            postgres: postgres_cpu(),
            machine: machine_ticks(),
        }
    }
}

/// How busy the server, the database and the generator were, and the server's and the
/// database's CPU time per page: figures that move far less from run to run than throughput on
/// a shared machine. `generator_cpu` replaces this process's own time when another process (wrk)
/// generated the load.
fn cpu_report(generator: &str, window: CpuWindow, pages: u64, length: Duration, generator_cpu: Option<Duration>) {
    let secs = length.as_secs_f64();
    let per_page = |d: Duration| if pages > 0 { d.as_micros() as f64 / pages as f64 } else { 0.0 };
    let used = cpu_time(window.server.0).saturating_sub(window.server.1);
    print!("Server CPU: {:.2} cores busy, {:.0} µs per page", used.as_secs_f64() / secs, per_page(used));
    let postgres = postgres_cpu().saturating_sub(window.postgres);
    if postgres.as_secs_f64() / secs > 0.05 {
        print!("; PostgreSQL: {:.2} cores, {:.0} µs per page", postgres.as_secs_f64() / secs, per_page(postgres));
    }
    let g = generator_cpu.unwrap_or_else(|| cpu_time(std::process::id()).saturating_sub(window.generator));
    print!("; {generator}: {:.2} cores", g.as_secs_f64() / secs);
    let (all, idle, steal) = machine_ticks();
    let all = all.saturating_sub(window.machine.0).max(1) as f64;
    println!(
        "; machine: {:.0} % idle, {:.1} % stolen by the host\n",
        idle.saturating_sub(window.machine.1) as f64 * 100.0 / all,
        steal.saturating_sub(window.machine.2) as f64 * 100.0 / all
    );
}

/// "My data" offered at a fixed rate, spread evenly over the users: each user's next request is
/// due `users / rate` seconds after its last one was due. A late answer makes the next request
/// leave at once, and every latency is measured from when the request was due.
async fn paced(port: u16, people: &[(String, String)], length: Duration, rate: u64) -> Tally {
    let tally = Arc::new(Mutex::new(Tally::new()));
    let start = tokio::time::Instant::now() + Duration::from_millis(100);
    let until = start + length;
    let every = Duration::from_secs_f64(people.len() as f64 / rate as f64);
    let mut tasks = Vec::new();
    for (i, (_, token)) in people.iter().enumerate() {
        let (tally, mut user) = (tally.clone(), BareUser::new(port, token));
        let first = start + every.mul_f64(i as f64 / people.len() as f64);
        tasks.push(tokio::spawn(async move {
            let mut local = Tally::new();
            let mut due = first;
            while due < until {
                tokio::time::sleep_until(due).await;
                let ok = user.my_data().await;
                local.micros[Flow::MyData as usize].push(due.elapsed().as_micros().min(u32::MAX as u128) as u32);
                if !ok {
                    local.errors[Flow::MyData as usize] += 1;
                }
                due += every;
            }
            let mut all = tally.lock().await;
            all.micros[Flow::MyData as usize].append(&mut local.micros[Flow::MyData as usize]);
            all.errors[Flow::MyData as usize] += local.errors[Flow::MyData as usize];
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    Arc::try_unwrap(tally).ok().unwrap().into_inner()
}

/// One paced user: a single HTTP/1.1 keep-alive connection on hyper's connection API, with no
/// pool, cookie jar or redirect handling to pay for. On a 2-core machine every microsecond the
/// generator spends is one the server does not get.
struct BareUser {
    port: u16,
    cookie: String,
    sender: Option<SendRequest<Empty<Bytes>>>,
}

impl BareUser {
    fn new(port: u16, token: &str) -> Self {
        BareUser { port, cookie: format!("custodia_session={token}"), sender: None }
    }

    async fn connect(port: u16) -> Option<SendRequest<Empty<Bytes>>> {
        let stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.ok()?;
        stream.set_nodelay(true).ok()?;
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.ok()?;
        tokio::spawn(connection);
        Some(sender)
    }

    /// True when "My data" came back 200 with its whole body read; a failed connection is
    /// dropped and the next call opens a new one.
    async fn my_data(&mut self) -> bool {
        if self.sender.as_ref().is_none_or(|s| s.is_closed()) {
            self.sender = Self::connect(self.port).await;
        }
        let Some(sender) = self.sender.as_mut() else { return false };
        let request = hyper::Request::get("/my-data")
            .header(hyper::header::HOST, format!("127.0.0.1:{}", self.port))
            .header(hyper::header::COOKIE, &self.cookie)
            .body(Empty::new());
        let Ok(request) = request else { return false };
        let answer = match sender.ready().await {
            Ok(()) => sender.send_request(request).await,
            Err(e) => Err(e),
        };
        match answer {
            Ok(res) => {
                let ok = res.status() == hyper::StatusCode::OK;
                ok & res.into_body().collect().await.is_ok()
            }
            Err(_) => {
                self.sender = None;
                false
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Mix {
    MyDataOnly,
    WithSignIns,
    /// The mixed flows with each sign-in replaced by a pause of this length.
    PauseForSignIns(Duration),
}

async fn phase(client: &reqwest::Client, port: u16, people: &[(String, String)], length: Duration, mix: Mix) -> Tally {
    let tally = Arc::new(Mutex::new(Tally::new()));
    let until = Instant::now() + length;
    let mut tasks = Vec::new();
    for (i, (email, token)) in people.iter().enumerate() {
        let (client, tally, email, token) = (client.clone(), tally.clone(), email.clone(), token.clone());
        tasks.push(tokio::spawn(async move {
            let mut local = Tally::new();
            let mut seed = 0x9E37_79B9_7F4A_7C15u64 ^ (i as u64 + 1);
            let mut n = 0u64;
            while Instant::now() < until {
                // xorshift: a cheap, reproducible mix per user.
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let flow = match mix {
                    Mix::MyDataOnly => Flow::MyData,
                    Mix::WithSignIns | Mix::PauseForSignIns(_) => Flow::mixed((seed % 100) as u32),
                };
                if let (Flow::SignIn, Mix::PauseForSignIns(pause)) = (flow, mix) {
                    tokio::time::sleep(pause).await;
                    continue;
                }
                let started = Instant::now();
                let ok = request(&client, port, flow, &token, &email, n).await;
                local.micros[flow as usize].push(started.elapsed().as_micros().min(u32::MAX as u128) as u32);
                if !ok {
                    local.errors[flow as usize] += 1;
                }
                n += 1;
            }
            let mut all = tally.lock().await;
            for f in 0..FLOWS.len() {
                all.micros[f].append(&mut local.micros[f]);
                all.errors[f] += local.errors[f];
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    Arc::try_unwrap(tally).ok().unwrap().into_inner()
}

/// One request of a flow; true when the answer is the expected one.
async fn request(client: &reqwest::Client, port: u16, flow: Flow, token: &str, email: &str, n: u64) -> bool {
    let origin = format!("http://127.0.0.1:{port}");
    let cookie = format!("custodia_session={token}");
    let res = match flow {
        Flow::MyData => client.get(format!("{origin}/my-data")).header("cookie", &cookie).send().await,
        Flow::Consent => client.get(format!("{origin}/consent")).header("cookie", &cookie).send().await,
        Flow::Sessions => client.get(format!("{origin}/sessions")).header("cookie", &cookie).send().await,
        Flow::SetConsent => {
            let choice = if n % 2 == 0 { "give" } else { "withdraw" };
            client
                .post(format!("{origin}/api/set_consent"))
                .header("cookie", &cookie)
                .header("origin", &origin)
                .header("accept", "text/html")
                .form(&[("purpose", "analytics"), ("choice", choice)])
                .send()
                .await
        }
        Flow::SignIn => {
            client
                .post(format!("{origin}/api/sign_in"))
                .header("origin", &origin)
                .header("accept", "text/html")
                .form(&[("email", email), ("password", PASSWORD)])
                .send()
                .await
        }
    };
    let Ok(res) = res else { return false };
    let status = res.status().as_u16();
    let location = res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    // Read the whole body: a page is served only when it has been sent.
    let _ = res.bytes().await;
    match flow {
        Flow::MyData | Flow::Consent | Flow::Sessions => status == 200,
        Flow::SetConsent => status == 302 && location.starts_with("/consent?e=consent_"),
        Flow::SignIn => status == 302 && location.starts_with("/sign-in/code"),
    }
}

fn percentile(sorted_or_not: &[u32], q: f64) -> u32 {
    if sorted_or_not.is_empty() {
        return 0;
    }
    let mut v = sorted_or_not.to_vec();
    v.sort_unstable();
    v[((v.len() as f64 - 1.0) * q).round() as usize]
}

fn report(title: &str, t: &Tally, length: Duration) {
    println!("{title}:\n");
    println!("| Flow | Requests | Errors | Throughput | p50 | p99 | max |");
    println!("|---|---|---|---|---|---|---|");
    let mut total = 0usize;
    for f in FLOWS {
        let v = &t.micros[f as usize];
        if v.is_empty() {
            continue;
        }
        total += v.len();
        let ms = |q: f64| percentile(v, q) as f64 / 1000.0;
        println!(
            "| {} | {} | {} | {:.0} req/s | {:.1} ms | {:.1} ms | {:.1} ms |",
            f.name(),
            v.len(),
            t.errors[f as usize],
            v.len() as f64 / length.as_secs_f64(),
            ms(0.5),
            ms(0.99),
            ms(1.0)
        );
    }
    println!("| all | {total} | {} | {:.0} req/s | | | |\n", t.errors.iter().sum::<u64>(), total as f64 / length.as_secs_f64());
}
