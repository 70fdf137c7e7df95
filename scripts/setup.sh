#!/usr/bin/env bash
# Installs what building and testing Custodia needs, skipping what is already there.
# Safe to run again; every step checks first.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION="$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' Cargo.toml)"
want_browser="${1:-all}"

step() { printf '\n==> %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q '0.3.10'; then
  step "installing cargo-leptos 0.3.10"
  cargo install cargo-leptos@0.3.10 --locked --features no_downloads
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  step "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (must equal the crate pin)"
  cargo install wasm-bindgen-cli@"$WASM_BINDGEN_VERSION" --force
fi

# wasm-opt for release builds, from npm's binaryen: Debian's (version 108) breaks the externref
# table wasm-bindgen emits, and release pages then never hydrate. The Makefile puts .tools first
# on PATH.
BINARYEN_VERSION=132.0.0
if ! .tools/node_modules/.bin/wasm-opt --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
  step "installing wasm-opt (npm binaryen $BINARYEN_VERSION) into .tools"
  npm install --prefix .tools --no-audit --no-fund --no-save "binaryen@$BINARYEN_VERSION"
fi

missing=()
if [ "$want_browser" = all ]; then
  command -v chromium >/dev/null || missing+=(chromium)
  # The export spec unpacks the downloaded ZIP.
  command -v unzip >/dev/null || missing+=(unzip)
  # The mail TLS test makes a self-signed certificate; make sbom (run by a test) is Python.
  command -v openssl >/dev/null || missing+=(openssl)
  command -v python3 >/dev/null || missing+=(python3)
fi
if [ "$want_browser" = bench ]; then
  # make bench-export compares with the sqlite3 shell, both timed by GNU time.
  command -v sqlite3 >/dev/null || missing+=(sqlite3)
  [ -x /usr/bin/time ] || missing+=(time)
  # make bench-load drives the "My data" baseline with wrk.
  command -v wrk >/dev/null || missing+=(wrk)
fi
if [ ${#missing[@]} -gt 0 ]; then
  step "installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

# Again whenever the lockfile is newer than what npm last installed (a new package such as ajv).
if [ "$want_browser" = all ] && { [ ! -d end2end/node_modules/@playwright/test ] \
    || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; }; then
  step "installing the end-to-end suite's npm packages (Playwright runs Debian's chromium)"
  (cd end2end && npm ci --no-audit --no-fund)
fi
