#!/usr/bin/env python3
"""Summarises the CPU samples (jdk.ExecutionSample) of a JFR recording: where a JVM spends its CPU.

    python3 bench/jfr_summary.py target/bench/jfr/intake-api.jfr [--since HH:MM:SS] [--until HH:MM:SS]

Prints the share of samples per thread group, the top self frames, and the inclusive share of a few
areas (JDBC driver, Jackson, Camel, Vert.x/Netty, logging, zip/jar reading, ...), i.e. the share of
samples with at least one frame of that area on the stack. Uses `jfr print --stack-depth 96`.
"""
import argparse
import collections
import re
import subprocess
import sys

AREAS = [
    ("PostgreSQL JDBC driver", ("org.postgresql.",)),
    ("HikariCP", ("com.zaxxer.hikari.",)),
    ("Jackson", ("com.fasterxml.jackson.",)),
    ("Camel simple language / bean binding", ("org.apache.camel.language.simple.", "org.apache.camel.component.bean.")),
    ("Camel (all)", ("org.apache.camel.",)),
    ("Vert.x / Netty", ("io.vertx.", "io.netty.")),
    ("Logging (logback/slf4j)", ("ch.qos.logback.", "org.slf4j.")),
    ("Zip / jar reading", ("java.util.zip.", "java.util.jar.")),
    ("Class loading / reflection", ("java.lang.ClassLoader.", "jdk.internal.loader.", "java.lang.reflect.", "jdk.internal.reflect.")),
    ("YAML DSL", ("org.apache.camel.dsl.yaml.", "org.snakeyaml.")),
    ("AWS SDK", ("software.amazon.awssdk.",)),
    ("ElasticMQ / Pekko / Scala", ("org.elasticmq.", "org.apache.pekko.", "scala.")),
    ("Flyway", ("org.flywaydb.",)),
    ("Micrometer", ("io.micrometer.",)),
    ("Order Platform code", ("org.orderplatform.",)),
]


def thread_group(name):
    name = re.sub(r"\d+", "#", name)
    return name


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--since")
    ap.add_argument("--until")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--thread", help="only threads whose name contains this")
    a = ap.parse_args()

    out = subprocess.run(["jfr", "print", "--stack-depth", "96", "--events", "jdk.ExecutionSample", a.file],
                         capture_output=True, text=True, check=True).stdout
    samples = []
    for block in out.split("jdk.ExecutionSample {")[1:]:
        m = re.search(r"startTime = (\d\d:\d\d:\d\d)", block)
        t = m.group(1) if m else ""
        if a.since and t < a.since or a.until and t > a.until:
            continue
        m = re.search(r'sampledThread = "([^"]*)"', block)
        thread = m.group(1) if m else "?"
        if a.thread and a.thread not in thread:
            continue
        st = block.split("stackTrace = [", 1)[1] if "stackTrace = [" in block else ""
        frames = [re.sub(r"\s+line:.*$", "", f.strip()) for f in st.split("\n")
                  if f.strip() and not f.strip().startswith("]") and not f.strip().startswith("...")
                  and not f.strip().startswith("}")]
        samples.append((thread, frames))
    n = len(samples)
    if not n:
        print("no samples")
        return
    print(f"{n} CPU samples")
    print("\nby thread group:")
    for g, c in collections.Counter(thread_group(t) for t, _ in samples).most_common(12):
        print(f"  {100 * c / n:5.1f}%  {g}")
    print("\ninclusive share by area:")
    for label, prefixes in AREAS:
        c = sum(1 for _, fr in samples if any(f.startswith(prefixes) for f in fr))
        if c:
            print(f"  {100 * c / n:5.1f}%  {label}")
    print(f"\ntop {a.top} self frames:")
    for f, c in collections.Counter(fr[0] for _, fr in samples if fr).most_common(a.top):
        print(f"  {100 * c / n:5.1f}%  {f}")
    print(f"\ntop {a.top} frames by inclusive share (methods of org.orderplatform and org.apache.camel):")
    inc = collections.Counter()
    for _, fr in samples:
        for f in set(fr):
            if f.startswith(("org.orderplatform.", "org.apache.camel.")):
                inc[f] += 1
    for f, c in inc.most_common(a.top):
        print(f"  {100 * c / n:5.1f}%  {f}")


if __name__ == "__main__":
    sys.exit(main())
