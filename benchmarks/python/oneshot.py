#!/usr/bin/env python3
"""The tutorial's program as most users run it, start to finish: make a pool,
map, exit.  Timed as a whole process by benchcommon.whole_process.

Usage:  python3 oneshot.py [fork|spawn] [ITEMS]
"""

import multiprocessing as mp
import sys


def square(x):
    return x * x


if __name__ == "__main__":
    method = sys.argv[1] if len(sys.argv) > 1 else "fork"
    items = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
    with mp.get_context(method).Pool(4) as p:
        squares = p.map(square, range(items))
    print(squares[-1])
