#!/usr/bin/env python3
"""Writes the software bill of materials (CycloneDX 1.5 JSON) of what Custodia is built and tested
with: every crate in Cargo.lock, every npm package in end2end/package-lock.json, the build tools
scripts/setup.sh pins, and the bundled list of common passwords. Refuses (exit 1) any crate that
does not come from crates.io and any npm package without a sha512 integrity hash, so the inventory
is also the check that everything comes from the two trusted registries.

Usage: scripts/sbom.py [OUTPUT]   (default: target/sbom.cdx.json)
"""

import json
import pathlib
import re
import sys
import tomllib
import uuid

ROOT = pathlib.Path(__file__).resolve().parent.parent
CRATES_IO = "registry+https://github.com/rust-lang/crates.io-index"


def crates(problems):
    lock = tomllib.loads((ROOT / "Cargo.lock").read_text())
    for p in lock["package"]:
        source = p.get("source")
        if source is None:
            continue  # one of this workspace's own crates
        if source != CRATES_IO:
            problems.append(f"crate {p['name']} {p['version']} comes from {source}")
        yield {
            "type": "library",
            "name": p["name"],
            "version": p["version"],
            "purl": f"pkg:cargo/{p['name']}@{p['version']}",
            "hashes": [{"alg": "SHA-256", "content": p["checksum"]}] if "checksum" in p else [],
            "scope": "required",
        }


def npm_packages(problems):
    lock = json.loads((ROOT / "end2end" / "package-lock.json").read_text())
    for path, p in lock["packages"].items():
        if not path:
            continue  # the end-to-end suite itself
        name = path.split("node_modules/")[-1]
        integrity = p.get("integrity", "")
        if not integrity.startswith("sha512-"):
            problems.append(f"npm package {name} has no sha512 integrity hash")
        resolved = p.get("resolved", "")
        if resolved and not resolved.startswith("https://registry.npmjs.org/"):
            problems.append(f"npm package {name} comes from {resolved}")
        yield {
            "type": "library",
            "name": name,
            "version": p.get("version", ""),
            "purl": f"pkg:npm/{name}@{p.get('version', '')}",
            "licenses": [{"license": {"id": p["license"]}}] if "license" in p else [],
            # Only the browser suite uses these; nothing of them ships in the portal.
            "scope": "excluded",
        }


def tools():
    setup = (ROOT / "scripts" / "setup.sh").read_text()
    cargo_toml = (ROOT / "Cargo.toml").read_text()
    pins = [
        ("cargo-leptos", re.search(r"cargo-leptos@([0-9.]+)", setup)),
        ("wasm-bindgen-cli", re.search(r'wasm-bindgen = "=([0-9.]+)"', cargo_toml)),
        ("binaryen", re.search(r"BINARYEN_VERSION=([0-9.]+)", setup)),
    ]
    for name, found in pins:
        if found:
            kind = "npm" if name == "binaryen" else "cargo"
            yield {"type": "application", "name": name, "version": found.group(1), "purl": f"pkg:{kind}/{name}@{found.group(1)}", "scope": "excluded"}


def data():
    yield {
        "type": "data",
        "name": "common-passwords",
        "description": "OWASP SecLists, 10 million password list (top 1,000,000), filtered; CC BY-SA 3.0",
        "licenses": [{"license": {"id": "CC-BY-SA-3.0"}}],
        "scope": "required",
    }


def main():
    out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "target" / "sbom.cdx.json"
    problems = []
    rust, npm, build = list(crates(problems)), list(npm_packages(problems)), list(tools())
    components = [*rust, *npm, *build, *data()]
    if problems:
        print("untrusted or unpinned components:\n  " + "\n  ".join(problems), file=sys.stderr)
        sys.exit(1)
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "serialNumber": f"urn:uuid:{uuid.uuid4()}",
        "version": 1,
        "metadata": {"component": {"type": "application", "name": "custodia", "version": "0.1.0"}},
        "components": components,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(bom, indent=1) + "\n")
    print(f"{out}: {len(rust)} crates, {len(npm)} npm packages, {len(build)} build tools, 1 data file")


if __name__ == "__main__":
    main()
