"""What the CPython side of every side-by-side benchmark shares: running one
workload named on the command line and printing its figures as one line of
key=value pairs, the format SideBySide reads from both sides."""

import os
import statistics
import subprocess
import sys
import time


def main(script, workloads):
    names = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(names) != 1 or names[0] not in workloads:
        sys.exit("usage: %s {%s} [--quick]" % (script, ",".join(workloads)))
    result = workloads[names[0]]()
    print(" ".join("%s=%.6g" % (k, v) for k, v in result.items()))


def whole_process(command, runs):
    """Runs command to completion `runs` times; the median wall time (s), the
    median CPU time of the process and every child it waited for (s), and the
    largest resident set any one of them reached (MiB), as os.wait4 reports."""
    walls, cpus, peaks = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        walls.append(time.perf_counter() - start)
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            sys.exit("exit code %d from %s" % (child.returncode, command))
        cpus.append(usage.ru_utime + usage.ru_stime)
        peaks.append(usage.ru_maxrss / 1024)
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus), "rss": max(peaks)}


if __name__ == "__main__":
    # python3 benchcommon.py whole RUNS -- COMMAND...: times another program the same way
    # (the Java side of the whole-process workloads uses it, so that both are measured alike)
    if len(sys.argv) > 4 and sys.argv[1] == "whole" and sys.argv[3] == "--":
        result = whole_process(sys.argv[4:], int(sys.argv[2]))
        print(" ".join("%s=%.6g" % (k, v) for k, v in result.items()))
    else:
        sys.exit("usage: benchcommon.py whole RUNS -- COMMAND...")
