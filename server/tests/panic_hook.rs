//! The panic hook the binary installs (`telemetry::init`): a panic's message may hold personal
//! data (a value in an `expect`), so the log says where a panic happened and never what it said.
//! The hook is process-wide, so the test runs it in a child process: this test binary again,
//! asked by an environment variable to install the hook and panic, its output read back.

use std::process::Command;

const CHILD: &str = "CUSTODIA_PANIC_HOOK_CHILD";
const TEST: &str = "a_panic_is_logged_by_where_it_happened_not_by_what_it_said";

#[test]
fn a_panic_is_logged_by_where_it_happened_not_by_what_it_said() {
    if std::env::var_os(CHILD).is_some() {
        server::telemetry::init();
        let email = String::from("rosa.panic@example.test");
        let crashed = std::thread::spawn(move || panic!("customer {email} owes 4242")).join();
        assert!(crashed.is_err(), "the thread panicked");
        return;
    }
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", TEST, "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .output()
        .expect("run this test binary as the child");
    let log = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "the child's run passed: {log}");
    assert!(log.contains("panicked"), "the panic is logged: {log}");
    assert!(log.contains("panic_hook.rs:"), "with where it happened: {log}");
    for said in ["rosa.panic", "example.test", "4242", "owes"] {
        assert!(!log.contains(said), "{said:?} from the panic's message reached the log: {log}");
    }
}
