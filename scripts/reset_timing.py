#!/usr/bin/env python3
"""How long "Forgot your password?" takes to answer for an address with an account and for one
without, against a release server on loopback (SQLite in a temporary folder).

If the two differ, the form tells who is a customer by its timing alone. The script imports as
many customers as it asks about, so every ask about a customer is that customer's first (as an
attacker's probe would be; later asks meet the cap of three links an hour). Asks alternate
between customers and unknown addresses, each over a new connection from its own loopback
address (127.0.0.2 and up), so the cap of twenty asks an hour per network address is never
reached. Prints median, 90th percentile and mean for each kind.

    python3 scripts/reset_timing.py [server binary] [asks per kind]

Defaults: target/release/server and 300.
"""

import base64
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ask(port, source, email, known):
    body = "email=" + email.replace("@", "%40")
    conn = http.client.HTTPConnection("127.0.0.1", port, source_address=(source, 0), timeout=10)
    started = time.perf_counter()
    conn.request("POST", "/api/request_password_reset", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": f"http://127.0.0.1:{port}",
        "Sec-Fetch-Site": "same-origin",
        "Accept": "text/html",
    })
    res = conn.getresponse()
    res.read()
    took = time.perf_counter() - started
    conn.close()
    location = res.getheader("Location") or ""
    if not location.endswith("e=reset_sent"):
        sys.exit(f"unexpected answer {res.status} {location!r} for a {'known' if known else 'unknown'} address")
    return took * 1000


def summary(name, ms):
    ms = sorted(ms)
    p90 = ms[int(len(ms) * 0.9) - 1]
    print(f"{name:8} n={len(ms):4}  median {statistics.median(ms):7.3f} ms  p90 {p90:7.3f} ms  mean {statistics.mean(ms):7.3f} ms")
    return statistics.median(ms)


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/server"
    per_kind = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ,
                   DATABASE_URL=f"sqlite://{tmp}/custodia.db",
                   CUSTODIA_ADDR=f"127.0.0.1:{port}",
                   CUSTODIA_MASTER_KEY=base64.b64encode(os.urandom(32)).decode(),
                   RUST_LOG="error")
        customers = [{"email": f"customer{i}@example.test", "full_name": f"Customer {i}", "password": "a long enough password for 2026"}
                     for i in range(per_kind + 10)]
        with open(f"{tmp}/customers.json", "w") as f:
            json.dump({"customers": customers}, f)
        subprocess.run([binary, "import", f"{tmp}/customers.json"], env=env, check=True, stdout=subprocess.DEVNULL)
        server = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(300):
                try:
                    c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                    c.request("GET", "/sign-in")
                    if c.getresponse().status == 200:
                        break
                except OSError:
                    time.sleep(0.1)
            else:
                sys.exit("the server did not answer within 30 s")
            times = {"known": [], "unknown": []}
            sources = (f"127.0.{i // 250}.{i % 250 + 2}" for i in range(1_000_000))
            # Warm-up, not counted: the first asks pay for connections and caches.
            for i in range(20):
                ask(port, next(sources), f"customer{per_kind + i // 2}@example.test" if i % 2 else f"warm{i}@example.test", i % 2)
            for i in range(per_kind):
                # Alternate which goes first, so drift in the machine's speed falls on both.
                order = [("known", f"customer{i}@example.test"), ("unknown", f"nobody{i}@example.test")]
                for kind, email in order if i % 2 else reversed(order):
                    times[kind].append(ask(port, next(sources), email, kind == "known"))
                    time.sleep(0.02)
        finally:
            server.terminate()
            server.wait()
    known = summary("known", times["known"])
    unknown = summary("unknown", times["unknown"])
    print(f"median difference (known - unknown): {known - unknown:+.3f} ms")


if __name__ == "__main__":
    main()
