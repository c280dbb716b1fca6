#!/usr/bin/env python3
"""Runs a command with its output discarded and prints its wall and CPU seconds (user +
system of the process and its threads, from wait4) to microseconds: bash's `time` prints
milliseconds, too coarse for a small document's 5-10 ms run (scripts/bench)."""
import os
import sys
import time

devnull = os.open(os.devnull, os.O_WRONLY)
quiet = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
start = time.perf_counter()
pid = os.posix_spawnp(sys.argv[1], sys.argv[1:], os.environ, file_actions=quiet)
_, _, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
print(f"{wall:.6f} {usage.ru_utime + usage.ru_stime:.6f}")
