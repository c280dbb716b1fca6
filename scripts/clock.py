#!/usr/bin/env python3
"""Runs a command with its output discarded and prints its wall and CPU seconds (user +
system of the process and its threads, from wait4) to microseconds: bash's `time` prints
milliseconds, too coarse for a small document's 5-10 ms run (scripts/bench)."""
import os
import subprocess
import sys
import time

start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, _, usage = os.wait4(child.pid, 0)
wall = time.perf_counter() - start
print(f"{wall:.6f} {usage.ru_utime + usage.ru_stime:.6f}")
