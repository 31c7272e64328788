#!/usr/bin/env python3
"""CPU clock ticks used so far by the benchmark: the process tree under the given pid (the run.sh shell,
its JVMs and load generators, with the CPU of children already exited and reaped, which the kernel adds to
the parent's cutime/cstime) and every process of the given uid (the PostgreSQL started for the run; the
postmaster's cutime/cstime holds the backends that have exited). Prints one integer."""
import os
import sys


def main():
    root, uid = int(sys.argv[1]), int(sys.argv[2])
    procs = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                stat = f.read()
            owner = os.stat(f"/proc/{name}").st_uid
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        # after the command: state(3) ppid(4) ... utime(14) stime(15) cutime(16) cstime(17)
        ppid = int(fields[1])
        ticks = sum(int(x) for x in fields[11:15])
        procs[int(name)] = (ppid, owner, ticks)
    children = {}
    for pid, (ppid, _, _) in procs.items():
        children.setdefault(ppid, []).append(pid)
    ours, stack = set(), [root]
    while stack:
        pid = stack.pop()
        if pid in procs and pid not in ours:
            ours.add(pid)
            stack.extend(children.get(pid, []))
    ours.update(pid for pid, (_, owner, _) in procs.items() if owner == uid)
    ours.discard(os.getpid())
    print(sum(procs[pid][2] for pid in ours))


if __name__ == "__main__":
    main()
