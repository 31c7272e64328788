#!/usr/bin/env python3
"""Turns bench/run.sh's raw figures (key=value lines) into one Markdown table: each figure, the ceiling
it is compared with (measured in the same run), the ratio, the target from the performance issue, and
whether it is met. Figures a partial run did not measure show as n/a."""
import sys


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


def main():
    r = load(sys.argv[1])
    rows = []

    def row(figure, value, ceiling=None, ratio=None, target="", met=None, digits=0):
        rows.append((figure, fmt(value, digits), fmt(ceiling, digits) if ceiling is not None else "",
                     f"{ratio:.2f}" if isinstance(ratio, float) else (ratio or ""), target,
                     "" if met is None else ("yes" if met else "**no**")))

    def ratio(a, b):
        a, b = num(a), num(b)
        return a / b if a is not None and b else None

    intake_ceiling = r.get("ceiling.intake.tps")
    cycle_ceiling = r.get("ceiling.cycle.events_per_s")

    row("DB ceiling: intake CTE, pgbench 32 clients (tx/s)", intake_ceiling, None, 1.0)
    row("DB ceiling: intake CTE latency p50 / p99 (ms)",
        f"{fmt(r.get('ceiling.intake.p50_ms'), 2)} / {fmt(r.get('ceiling.intake.p99_ms'), 2)}")
    for c in range(1, 5):
        v = r.get(f"ceiling.cycle.c{c}.events_per_s")
        row(f"DB ceiling: worker cycle (claim 100 + complete), {c} client(s) (events/s)", v,
            cycle_ceiling, ratio(v, cycle_ceiling))

    rps = r.get("service.intake.rps")
    q = ratio(rps, intake_ceiling)
    row("Intake POST /orders, 32 connections (req/s)", rps, intake_ceiling, q, ">= 0.50 of ceiling",
        None if q is None else q >= 0.5)
    p50 = r.get("service.intake.p50_ms")
    row("Intake p50 (ms)", p50, r.get("ceiling.intake.p50_ms"), ratio(p50, r.get("ceiling.intake.p50_ms")), digits=2)
    p99 = r.get("service.intake.p99_ms")
    row("Intake p99 (ms)", p99, r.get("ceiling.intake.p99_ms"), ratio(p99, r.get("ceiling.intake.p99_ms")),
        "<= 25 ms", None if num(p99) is None else num(p99) <= 25, digits=2)
    errs = None
    if num(r.get("service.intake.non2xx")) is not None:
        errs = int(num(r.get("service.intake.non2xx")) + (num(r.get("service.intake.socket_errors")) or 0))
    row("Intake errors (non-2xx + socket errors)", errs, None, None, "0", None if errs is None else errs == 0)
    row("Intake: machine CPU busy (%) / service JVM CPU (cores)",
        f"{r.get('service.intake.machine_cpu_pct', 'n/a')} / {r.get('service.intake.jvm_cpu_cores', 'n/a')}")

    for t, need in (("outbox", 0.33), ("sqs", 0.10)):
        v = r.get(f"service.drain.{t}.events_per_s")
        q = ratio(v, cycle_ceiling)
        row(f"Drain {t}: 50,000 orders, one worker (events/s)", v, cycle_ceiling, q,
            f">= {need:.2f} of ceiling", None if q is None else q >= need)
        row(f"Drain {t}: wall time from worker launch to all PROCESSED (ms)",
            r.get(f"service.drain.{t}.wall_ms_from_launch"))
    v = r.get("service.relay.sqs.events_per_s")
    row("SQS relay: outbox to embedded SQS (events/s)", v, cycle_ceiling, ratio(v, cycle_ceiling))

    for t in ("inprocess", "outbox", "sqs"):
        p50, p99 = r.get(f"service.e2e.{t}.p50_ms"), r.get(f"service.e2e.{t}.p99_ms")
        targeted = t != "sqs"
        row(f"End-to-end {t} at 500/s: p50 (ms)", p50, None, None, "<= 10 ms" if targeted else "",
            (num(p50) <= 10 if num(p50) is not None else None) if targeted else None, digits=1)
        row(f"End-to-end {t} at 500/s: p99 (ms)", p99, None, None, "<= 50 ms" if targeted else "",
            (num(p99) <= 50 if num(p99) is not None else None) if targeted else None, digits=1)
        row(f"End-to-end {t}: achieved rate (req/s) / HTTP errors / unfinished orders",
            f"{r.get(f'service.e2e.{t}.achieved_rps', 'n/a')} / {r.get(f'service.e2e.{t}.http_errors', 'n/a')}"
            f" / {r.get(f'service.e2e.{t}.unfinished', 'n/a')}")

    idle = r.get("service.worker.idle_cpu_pct")
    row("Idle outbox worker CPU (% of one core)", idle, None, None, "almost none",
        None if num(idle) is None else num(idle) <= 2.0, digits=1)
    fa = r.get("service.first_answer_ms")
    row(f"First answer after launch, PostgreSQL running (ms; median of {r.get('service.first_answer_all_ms', '?')})",
        fa, None, None, "<= 3,000 ms",
        None if num(fa) is None else num(fa) <= 3000)

    for key, label in (("mem.intake.api", "api JVM under intake"),
                       ("mem.drain.outbox.worker", "outbox worker JVM under drain"),
                       ("mem.drain.sqs.api", "sqs api JVM (relay + embedded SQS) under drain"),
                       ("mem.drain.sqs.worker", "sqs worker JVM under drain"),
                       ("mem.e2e.inprocess.all", "inprocess JVM (api + worker) at 500/s")):
        rss = r.get(f"{key}.rss_peak_mb")
        if rss is None:
            continue
        row(f"Memory, {label}, -Xmx256m: peak RSS (MB)", rss, None, None, "<= 350 MB",
            None if num(rss) is None else num(rss) <= 350)
        row(f"Memory, {label}: heap after GC (MB); GC so far", f"{r.get(f'{key}.heap_after_gc_mb', 'n/a')}; "
            f"{r.get(f'{key}.gc', 'n/a')}")

    print(f"Machine: {r.get('machine.nproc', '?')} cores ({r.get('machine.cpu', '?')}), "
          f"{r.get('machine.memory_gib', '?')} GiB, {r.get('machine.jdk', '?')}; PostgreSQL {r.get('pg.version', '?')} "
          f"(fsync={r.get('pg.fsync', '?')}, synchronous_commit={r.get('pg.synchronous_commit', '?')}).")
    print()
    print("| Figure | This run | Ceiling | Ratio | Target | Met |")
    print("|---|---:|---:|---:|---|---|")
    for fig, val, ceil, rat, tgt, met in rows:
        print(f"| {fig} | {val} | {ceil} | {rat} | {tgt} | {met} |")

    # How much of the machine other work (other builds, test runs) took while each figure was measured.
    windows = [k[:-len(".foreign_cpu_cores")] for k in r if k.endswith(".foreign_cpu_cores")]
    if windows:
        print()
        print("Other work on the machine while each figure was measured (CPU cores of "
              f"{r.get('machine.nproc', '?')} not used by the benchmark, its PostgreSQL or its load generators):")
        print()
        print("| Window | Machine busy (%) | Other work (cores) |")
        print("|---|---:|---:|")
        for w in windows:
            print(f"| {w} | {r.get(w + '.machine_busy_pct', 'n/a')} | {r.get(w + '.foreign_cpu_cores', 'n/a')} |")


if __name__ == "__main__":
    main()
