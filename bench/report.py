#!/usr/bin/env python3
"""Turns bench/run.sh's raw figures (key=value lines) into Markdown tables: the steady-state intake next to
its two ceilings (pgbench and the plain Camel intake), the warm-up from launch second by second, every other
figure with the ceiling it is compared with (measured in the same run), the ratio, the target from the
performance issue (#14) and whether it is met, and the scaling table. Figures a partial run did not
measure show as n/a."""
import sys

# Targets of issue #14 (second round)
CPU_US_MAX = 150          # JVM CPU per accepted order at steady state
VS_PLAIN_MIN = 0.6        # service intake / plain Camel intake, same run
P99_MAX_MS = 20           # intake p99 at 32 connections
WARM_SHARE_MIN = 0.8      # share of steady-state throughput reached within 10 s of the first request
FIRST_ANSWER_MAX_MS = 2000
OUTBOX_DRAIN_MIN = 0.5    # of the worker-cycle ceiling
SQS_DRAIN_MIN = 0.15
SQS_E2E_P50_MAX, SQS_E2E_P99_MAX = 50, 250
E2E_P50_MAX, E2E_P99_MAX = 10, 50   # inprocess and outbox, kept from the first round
RSS_MAX_MB = 300
IDLE_MAX_PCT = 1.0


def load(path):
    r = {}
    with open(path) as f:
        for line in f:
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                r[k] = v
    return r


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def fmt(v, digits=0):
    x = num(v)
    if x is None:
        return v if v not in (None, "") else "n/a"
    return f"{x:,.{digits}f}"


def ratio(a, b):
    a, b = num(a), num(b)
    return a / b if a is not None and b else None


def met(value, ok):
    """'yes', '**no**' or '' (not measured) for a target check ok(value)."""
    x = num(value)
    return "" if x is None else ("yes" if ok(x) else "**no**")


def table(header, rows):
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(str(c) for c in row) + " |")


def steady_state(r):
    pg, plain, svc = "ceiling.intake", "plain.intake", "service.intake"

    def errors(k):
        a, b = num(r.get(f"{k}.non2xx")), num(r.get(f"{k}.socket_errors"))
        return None if a is None else int(a + (b or 0))

    rps_ratio = ratio(r.get(f"{svc}.ok_per_s"), r.get(f"{plain}.ok_per_s"))
    cpu_ratio = ratio(r.get(f"{svc}.jvm_cpu_us_per_request"), r.get(f"{plain}.jvm_cpu_us_per_request"))
    e = errors(svc)
    rows = [
        ("req/s (accepted per second)", fmt(r.get(f"{pg}.tps")), fmt(r.get(f"{plain}.ok_per_s")),
         fmt(r.get(f"{svc}.ok_per_s")), f"{rps_ratio:.2f}" if rps_ratio else "n/a",
         f">= {VS_PLAIN_MIN} of plain", "" if rps_ratio is None else ("yes" if rps_ratio >= VS_PLAIN_MIN else "**no**")),
        ("p50 (ms)", fmt(r.get(f"{pg}.p50_ms"), 2), fmt(r.get(f"{plain}.p50_ms"), 2), fmt(r.get(f"{svc}.p50_ms"), 2),
         "", "", ""),
        ("p99 (ms)", fmt(r.get(f"{pg}.p99_ms"), 2), fmt(r.get(f"{plain}.p99_ms"), 2), fmt(r.get(f"{svc}.p99_ms"), 2),
         "", f"<= {P99_MAX_MS} ms", met(r.get(f"{svc}.p99_ms"), lambda x: x <= P99_MAX_MS)),
        ("errors (non-2xx + socket)", fmt(r.get(f"{pg}.failed")), fmt(errors(plain)), fmt(e), "", "0",
         "" if e is None else ("yes" if e == 0 else "**no**")),
        ("JVM CPU per accepted request (us)", "", fmt(r.get(f"{plain}.jvm_cpu_us_per_request")),
         fmt(r.get(f"{svc}.jvm_cpu_us_per_request")), f"{cpu_ratio:.2f}" if cpu_ratio else "n/a",
         f"<= {CPU_US_MAX} us", met(r.get(f"{svc}.jvm_cpu_us_per_request"), lambda x: x <= CPU_US_MAX)),
        ("JVM CPU (cores)", "", fmt(r.get(f"{plain}.jvm_cpu_cores"), 2), fmt(r.get(f"{svc}.jvm_cpu_cores"), 2),
         "", "", ""),
        ("machine busy (%)", fmt(r.get(f"{pg}.machine_busy_pct")), fmt(r.get(f"{plain}.machine_busy_pct")),
         fmt(r.get(f"{svc}.machine_busy_pct")), "", "", ""),
        ("peak RSS (MB)", "", fmt(r.get("mem.intake.plain.rss_peak_mb")), fmt(r.get("mem.intake.api.rss_peak_mb")),
         "", f"<= {RSS_MAX_MB} MB", met(r.get("mem.intake.api.rss_peak_mb"), lambda x: x <= RSS_MAX_MB)),
    ]
    print(f"## Steady-state intake: POST /orders, {r.get('bench.connections', '32')} connections, "
          f"{r.get('bench.warmup_s', '30')} s of load, then {r.get('bench.intake_s', '20')} s measured")
    print()
    table(["", "pgbench ceiling (one statement)", "plain Camel intake", "service (api, outbox)",
           "service / plain", "Target", "Met"], rows)
    print()


def warmup(r):
    svc = [int(x) for x in r.get("warmup.service.per_second", "").split()]
    plain = [int(x) for x in r.get("warmup.plain.per_second", "").split()]
    if not svc and not plain:
        return
    steady = {"service": num(r.get("service.intake.ok_per_s")), "plain": num(r.get("plain.intake.ok_per_s"))}

    def share_at_10(series, s):
        # mean rate over seconds 9 and 10 after the first request (the window [8 s, 10 s)), over steady state
        if len(series) < 10 or not s:
            return None
        return (series[8] + series[9]) / 2 / s

    def first_at(series, s, share=WARM_SHARE_MIN):
        if not s:
            return None
        for i, n in enumerate(series):
            if n >= share * s:
                return i + 1
        return None

    print("## Warm-up: a fresh JVM under the same wrk load from its first answer")
    print()
    rows = []
    for name, series, fa in (("service", svc, "warmup.service.first_answer_ms"),
                             ("plain Camel intake", plain, "warmup.plain.first_answer_ms")):
        key = "service" if name == "service" else "plain"
        s10 = share_at_10(series, steady[key])
        fst = first_at(series, steady[key])
        target = name == "service"
        rows.append((name, fmt(r.get(fa)), fmt(steady[key]),
                     "n/a" if s10 is None else f"{s10:.2f}",
                     "n/a" if fst is None else f"second {fst}",
                     fmt(sum(series[:10])) if series else "n/a",
                     f">= {WARM_SHARE_MIN:.2f}; first answer <= {FIRST_ANSWER_MAX_MS:,} ms" if target else "",
                     ("" if s10 is None else ("yes" if s10 >= WARM_SHARE_MIN else "**no**")) + " / "
                     + met(r.get(fa), lambda x: x <= FIRST_ANSWER_MAX_MS) if target else ""))
    table(["", "first answer after launch (ms)", "steady state (req/s)", "share of steady state at 10 s",
           f"first second at >= {WARM_SHARE_MIN:.0%}", "orders in the first 10 s", "Target", "Met"], rows)
    print()
    print("Orders accepted per second after the first one (from `created_at`, exact), and the share of each "
          "JVM's steady-state rate:")
    print()
    rows = []
    for i in range(max(len(svc), len(plain))):
        def cell(series, s):
            if i >= len(series):
                return "", ""
            return f"{series[i]:,}", (f"{series[i] / s:.2f}" if s else "n/a")
        a, b = cell(svc, steady["service"]), cell(plain, steady["plain"])
        rows.append((i + 1, a[0], a[1], b[0], b[1]))
    table(["second", "service", "service share", "plain", "plain share"], rows)
    print()


def others(r):
    rows = []

    def row(figure, value, ceiling=None, q=None, target="", ok="", digits=0):
        rows.append((figure, fmt(value, digits), fmt(ceiling, digits) if ceiling is not None else "",
                     f"{q:.2f}" if isinstance(q, float) else (q or ""), target, ok))

    cycle = r.get("ceiling.cycle.events_per_s")
    for c in range(1, 5):
        v = r.get(f"ceiling.cycle.c{c}.events_per_s")
        row(f"DB ceiling: worker cycle (claim 100 + complete), {c} client(s) (events/s)", v, cycle, ratio(v, cycle))
    for t, need in (("outbox", OUTBOX_DRAIN_MIN), ("sqs", SQS_DRAIN_MIN)):
        v = r.get(f"service.drain.{t}.events_per_s")
        q = ratio(v, cycle)
        row(f"Drain {t}: {r.get('bench.drain_orders', '?')} orders, one worker (events/s)", v, cycle, q,
            f">= {need:.2f} of ceiling", "" if q is None else ("yes" if q >= need else "**no**"))
        row(f"Drain {t}: wall time from worker launch to all PROCESSED (ms)",
            r.get(f"service.drain.{t}.wall_ms_from_launch"))
    v = r.get("service.drain.sqs.relay_events_per_s")
    row("SQS relay: outbox to embedded SQS (events/s)", v, cycle, ratio(v, cycle))

    for t in ("inprocess", "outbox", "sqs"):
        p50, p99 = r.get(f"service.e2e.{t}.p50_ms"), r.get(f"service.e2e.{t}.p99_ms")
        m50, m99 = (SQS_E2E_P50_MAX, SQS_E2E_P99_MAX) if t == "sqs" else (E2E_P50_MAX, E2E_P99_MAX)
        row(f"End-to-end {t} at {r.get('bench.rate', '500')}/s: p50 (ms)", p50, None, None, f"<= {m50} ms",
            met(p50, lambda x: x <= m50), digits=1)
        row(f"End-to-end {t} at {r.get('bench.rate', '500')}/s: p99 (ms)", p99, None, None, f"<= {m99} ms",
            met(p99, lambda x: x <= m99), digits=1)
        achieved, unfinished = r.get(f"service.e2e.{t}.achieved_rps"), r.get(f"service.e2e.{t}.unfinished")
        rate = num(r.get("bench.rate", "500"))
        ok = ""
        if t == "sqs" and num(achieved) is not None and num(unfinished) is not None:
            # "all 500/s achieved": the open-loop generator's rate within 1 %
            ok = "yes" if num(achieved) >= 0.99 * rate and num(unfinished) == 0 else "**no**"
        row(f"End-to-end {t}: achieved rate (req/s) / HTTP errors / unfinished orders",
            f"{r.get(f'service.e2e.{t}.achieved_rps', 'n/a')} / {r.get(f'service.e2e.{t}.http_errors', 'n/a')}"
            f" / {unfinished if unfinished is not None else 'n/a'}", None, None,
            "all of it / 0 / 0" if t == "sqs" else "", ok)

    for key, label in (("service.worker.outbox.idle_cpu_pct", "Idle outbox worker CPU (% of one core, 20 s)"),
                       ("service.worker.sqs.idle_cpu_pct", "Idle sqs worker CPU (% of one core, 20 s, queue empty)")):
        v = r.get(key)
        row(label, v, None, None, f"<= {IDLE_MAX_PCT:.0f} %", met(v, lambda x: x <= IDLE_MAX_PCT), digits=1)
    fa = r.get("service.first_answer_ms")
    row(f"First answer after launch, PostgreSQL running (ms; median of the launches: {r.get('service.first_answer_all_ms', '?')})",
        fa, None, None, f"<= {FIRST_ANSWER_MAX_MS:,} ms", met(fa, lambda x: x <= FIRST_ANSWER_MAX_MS))

    for key, label, targeted in (("mem.intake.api", "api JVM under intake", True),
                                 ("mem.intake.plain", "plain Camel intake JVM under intake", False),
                                 ("mem.drain.outbox.worker", "outbox worker JVM under drain", True),
                                 ("mem.drain.sqs.api", "sqs api JVM (relay + embedded SQS) under drain", True),
                                 ("mem.drain.sqs.worker", "sqs worker JVM under drain", True),
                                 ("mem.e2e.inprocess.all", "inprocess JVM (api + worker) at 500/s", True)):
        rss = r.get(f"{key}.rss_peak_mb")
        if rss is None:
            continue
        row(f"Memory, {label}, -Xmx256m: peak RSS (MB)", rss, None, None,
            f"<= {RSS_MAX_MB} MB" if targeted else "", met(rss, lambda x: x <= RSS_MAX_MB) if targeted else "")
        row(f"Memory, {label}: heap after GC (MB); GC so far", f"{r.get(f'{key}.heap_after_gc_mb', 'n/a')}; "
            f"{r.get(f'{key}.gc', 'n/a')}")

    print("## Drain, end-to-end, first answer, idle workers, memory")
    print()
    table(["Figure", "This run", "Ceiling", "Ratio", "Target", "Met"], rows)
    print()


def scaling(r):
    if not any(k.startswith("scaling.") for k in r):
        return
    rows = []

    def row(what, n, key, rate_key, unit, extra=""):
        v = r.get(f"{key}.{rate_key}")
        if v is None:
            return
        per = num(v) / n if num(v) is not None and n else None
        rows.append((what, n, fmt(v), unit, fmt(per), fmt(r.get(f"{key}.machine_busy_pct")),
                     fmt(r.get(f"{key}.foreign_cpu_cores"), 2), extra))

    for k in (1, 2, 4, 3, 8):
        row("outbox drain", k, f"scaling.outbox.w{k}", "events_per_s", "events/s")
    for k in (1, 2, 3, 4):
        row("sqs drain", k, f"scaling.sqs.w{k}", "events_per_s", "events/s")
    for k in (1, 2, 3, 4):
        key = f"scaling.intake.a{k}"
        row("intake (api, outbox)", k, key, "ok_per_s", "req/s",
            f"p99 {fmt(r.get(key + '.p99_ms'), 1)} ms, JVM CPU {fmt(r.get(key + '.jvm_cpu_us_per_request'))} us/req"
            if r.get(key + ".ok_per_s") else "")
    for size in ("small", "big"):
        key = f"scaling.backlog.{size}"
        row(f"outbox drain, backlog {fmt(r.get(key + '.orders'))} orders", 1, key, "events_per_s", "events/s",
            f"claim {fmt(r.get(key + '.claim_ms_per_100_rows'), 2)} ms per 100 rows claimed "
            f"({fmt(r.get(key + '.claim_calls'))} claims, mean {fmt(r.get(key + '.claim_mean_ms'), 2)} ms)"
            if r.get(key + ".events_per_s") else "")
    print(f"## Scaling: processes and backlog ({r.get('machine.nproc', '?')} cores)")
    print()
    table(["What", "processes", "rate", "unit", "per process", "machine busy (%)", "other work (cores)", "notes"],
          rows)
    small, big = (num(r.get(f"scaling.backlog.{s}.claim_ms_per_100_rows")) for s in ("small", "big"))
    if small and big:
        print()
        print(f"Claim cost with {fmt(r.get('scaling.backlog.big.orders'))} orders waiting against "
              f"{fmt(r.get('scaling.backlog.small.orders'))}: {big / small:.2f}x "
              f"(loading the big backlog took {fmt(r.get('scaling.backlog.big.load_ms'))} ms).")
    print()


def main():
    r = load(sys.argv[1])
    print(f"Machine: {r.get('machine.nproc', '?')} cores ({r.get('machine.cpu', '?')}), "
          f"{r.get('machine.memory_gib', '?')} GiB, {r.get('machine.jdk', '?')}; PostgreSQL {r.get('pg.version', '?')} "
          f"(fsync={r.get('pg.fsync', '?')}, synchronous_commit={r.get('pg.synchronous_commit', '?')}).")
    print()
    steady_state(r)
    warmup(r)
    others(r)
    scaling(r)

    # How much of the machine other work (other builds, test runs) took while each figure was measured.
    windows = [k[:-len(".foreign_cpu_cores")] for k in r if k.endswith(".foreign_cpu_cores")]
    if windows:
        print("Other work on the machine while each figure was measured (CPU cores of "
              f"{r.get('machine.nproc', '?')} not used by the benchmark, its PostgreSQL or its load generators):")
        print()
        table(["Window", "Machine busy (%)", "Other work (cores)"],
              [(w, r.get(w + ".machine_busy_pct", "n/a"), r.get(w + ".foreign_cpu_cores", "n/a")) for w in windows])


if __name__ == "__main__":
    main()
