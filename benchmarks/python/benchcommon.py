"""What the CPython side of every side-by-side benchmark shares: running one
workload named on the command line and printing its figures as one line of
key=value pairs, the format SideBySide reads from both sides."""

import sys


def main(script, workloads):
    names = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(names) != 1 or names[0] not in workloads:
        sys.exit("usage: %s {%s} [--quick]" % (script, ",".join(workloads)))
    result = workloads[names[0]]()
    print(" ".join("%s=%.6g" % (k, v) for k, v in result.items()))
