//! The software bill of materials (scripts/sbom.py, `make sbom`) is produced from the lock files,
//! and producing it fails when a crate comes from anywhere but crates.io or an npm package lacks
//! its integrity hash (ASVS 15.1.2).

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

#[test]
fn the_sbom_lists_every_locked_component_from_trusted_registries() {
    let out = std::env::temp_dir().join(format!("custodia-sbom-{}.json", std::process::id()));
    let run = Command::new("python3").arg(root().join("scripts/sbom.py")).arg(&out).output().expect("python3 runs");
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let bom: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    std::fs::remove_file(&out).ok();
    assert_eq!(bom["bomFormat"], "CycloneDX");
    let purls: Vec<&str> = bom["components"].as_array().unwrap().iter().filter_map(|c| c["purl"].as_str()).collect();
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).unwrap();
    let locked = lock.matches("\nsource = \"registry+").count();
    assert_eq!(purls.iter().filter(|p| p.starts_with("pkg:cargo/")).count(), locked + 2, "every locked crate, plus cargo-leptos and wasm-bindgen-cli");
    for expected in ["pkg:cargo/sqlx@", "pkg:cargo/aes-gcm@", "pkg:npm/@playwright/test@"] {
        assert!(purls.iter().any(|p| p.starts_with(expected)), "{expected}");
    }
}
