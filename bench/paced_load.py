#!/usr/bin/env python3
"""Constant-rate (open-loop) load generator for POST /orders: wrk2 is not packaged in Debian.

Request i is due at start + i/rate whatever happened to earlier ones; a pool of keep-alive connections
sends each request when it is due (or at once, if it is already late). Client latency is measured from
the due time, so a stall shows up as latency instead of a lower rate (no coordinated omission).
Bounded: rate * duration requests, and the run gives up `grace` seconds after the last one was due.
Only loopback targets are accepted. Prints one line:
  BENCH sent=N ok=N non2xx=N errors=N seconds=S achieved_rps=R late_p99_ms=.. p50_ms=.. p99_ms=..
"""
import argparse
import http.client
import ipaddress
import socket
import threading
import time
import urllib.parse

BODY = b'{"customerId":"c-1","currency":"EUR","items":[{"sku":"SKU-1","quantity":2,"unitPrice":9.99}]}'


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    k = min(len(values) - 1, max(0, int(round(p / 100.0 * len(values) + 0.5)) - 1))
    return values[k]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:8080/orders")
    ap.add_argument("--rate", type=float, default=500)
    ap.add_argument("--duration", type=float, default=30)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--grace", type=float, default=30)
    a = ap.parse_args()

    url = urllib.parse.urlparse(a.url)
    host = socket.gethostbyname(url.hostname)
    if not ipaddress.ip_address(host).is_loopback:
        raise SystemExit("refusing a non-loopback target: " + host)
    total = int(a.rate * a.duration)
    lock = threading.Lock()
    state = {"next": 0}
    results = []  # (status or -1, latency_s, lateness_s)
    start = time.perf_counter() + 0.2
    deadline = start + a.duration + a.grace

    def worker():
        conn = None
        while True:
            with lock:
                i = state["next"]
                if i >= total:
                    return
                state["next"] = i + 1
            due = start + i / a.rate
            now = time.perf_counter()
            if now > deadline:
                return
            if due > now:
                time.sleep(due - now)
            sent_at = time.perf_counter()
            status = -1
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(host, url.port or 80, timeout=10)
                conn.request("POST", url.path or "/orders", BODY, {"Content-Type": "application/json"})
                r = conn.getresponse()
                r.read()
                status = r.status
            except Exception:
                if conn is not None:
                    conn.close()
                conn = None
            end = time.perf_counter()
            with lock:
                results.append((status, end - due, sent_at - due, sent_at))

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(a.connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(0.0, deadline - time.perf_counter()) + 1)
    elapsed = time.perf_counter() - start
    ok = sum(1 for r in results if 200 <= r[0] < 300)
    errors = sum(1 for r in results if r[0] < 0)
    non2xx = len(results) - ok - errors
    lat = [r[1] * 1000 for r in results if 200 <= r[0] < 300]
    late = [r[2] * 1000 for r in results]
    span = max((r[3] for r in results), default=start) - start
    achieved = (len(results) - 1) / span if span > 0 else float("nan")
    print("BENCH sent=%d ok=%d non2xx=%d errors=%d seconds=%.3f achieved_rps=%.1f late_p99_ms=%.3f p50_ms=%.3f p99_ms=%.3f"
          % (len(results), ok, non2xx, errors, elapsed, achieved,
             percentile(late, 99), percentile(lat, 50), percentile(lat, 99)), flush=True)


if __name__ == "__main__":
    main()
