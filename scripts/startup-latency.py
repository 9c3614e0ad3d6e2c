#!/usr/bin/env python3
"""Milliseconds from starting the `kql` REPL (release build, demo data) to its first prompt,
measured through a pseudo-terminal as a user sees it. Usage: scripts/startup-latency.py [RUNS]"""
import os, pty, select, sys, tempfile, time

BIN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target", "release", "kql")


def once():
    t = time.time()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["KQL_HISTORY"] = os.path.join(tempfile.gettempdir(), "kql-startup-history")
        os.execv(BIN, ["kql"])
    buf = b""
    while b"kql>" not in buf:
        ready, _, _ = select.select([fd], [], [], 5)
        if not ready:
            break
        buf += os.read(fd, 4096)
    elapsed = (time.time() - t) * 1000
    os.write(fd, b"\x04")
    os.waitpid(pid, 0)
    return elapsed


runs = sorted(once() for _ in range(int(sys.argv[1]) if len(sys.argv) > 1 else 10))
print(f"first prompt: median {runs[len(runs) // 2]:.1f} ms, min {runs[0]:.1f} ms, max {runs[-1]:.1f} ms over {len(runs)} runs")
