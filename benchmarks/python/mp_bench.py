#!/usr/bin/env python3
"""The CPython side of pyloom's side-by-side multiprocessing benchmarks.

Usage:  python3 mp_bench.py WORKLOAD [--quick]

Runs one workload with multiprocessing.Pool, once with the 'fork' start method
and once with 'spawn' (a fresh interpreter per worker: the closest analogue of
a worker JVM), and prints one line of key=value pairs prefixed fork_ and
spawn_.  Standard library only.  Apart from 'ready', which times the start of
a pool, and 'oneshot', which times oneshot.py as a whole process, every
workload runs on a pool that has already served warm-up tasks.
"""

import multiprocessing as mp
import os
import statistics
import sys
import time

import benchcommon

QUICK = "--quick" in sys.argv

# ---------------------------------------------------------------- tasks

_arrived = None
_release = None


def _barrier_queues(arrived, release):
    global _arrived, _release
    _arrived, _release = arrived, release


def check_in(i):
    """Says this worker is running a task, then waits for the parent's word."""
    _arrived.put(os.getpid())
    _release.get()
    return i


def identity(x):
    return x


def burn(n):
    """CPU-bound work: a sum of integer square roots (the Java side's twin)."""
    total = 0
    for i in range(n):
        total += int(i ** 0.5)
    return total


# ---------------------------------------------------------------- workloads


def ready(ctx):
    """ms from Pool(4)'s creation until all four workers are running a task (median of runs)."""
    runs = 2 if QUICK else 5
    times = []
    for _ in range(runs):
        arrived, release = ctx.Queue(), ctx.Queue()
        t0 = time.perf_counter()
        pool = ctx.Pool(4, initializer=_barrier_queues, initargs=(arrived, release))
        results = [pool.apply_async(check_in, (i,)) for i in range(4)]
        for _ in range(4):
            arrived.get()
        times.append((time.perf_counter() - t0) * 1e3)
        for _ in range(4):
            release.put(None)
        for r in results:
            r.get()
        pool.close()
        pool.join()
    return {"value": statistics.median(times)}


def apply_round_trip(ctx):
    """us per apply() of a trivial task on a warm Pool(4): p50 and p99."""
    warmup, trips = (200, 1_000) if QUICK else (40_000, 10_000)  # as long as the JVM side's JIT needs
    with ctx.Pool(4) as pool:
        for i in range(warmup):
            pool.apply(identity, (i,))
        samples = []
        for i in range(trips):
            t0 = time.perf_counter()
            pool.apply(identity, (i,))
            samples.append((time.perf_counter() - t0) * 1e6)
    samples.sort()
    return {"p50": samples[len(samples) // 2], "p99": samples[int(len(samples) * 0.99)]}


def async_batch(pool, count):
    """Seconds for `count` apply_async of a trivial task with a callback, until all are done."""
    done = []
    t0 = time.perf_counter()
    results = [pool.apply_async(identity, (i,), callback=done.append) for i in range(count)]
    for r in results:
        r.wait()
    elapsed = time.perf_counter() - t0
    assert len(done) == count
    return elapsed


def apply_async_throughput(ctx):
    """tasks per second, 20,000 apply_async with callbacks: on a new Pool(4) (cold), and the median
    of five batches after 400,000 more (warm: the JVM side is still speeding up at 200,000)."""
    count, warmup = (2_000, 2_000) if QUICK else (20_000, 400_000)
    with ctx.Pool(4) as pool:
        pool.map(identity, range(4), chunksize=1)
        cold = async_batch(pool, count)
        async_batch(pool, warmup)
        warm = statistics.median(async_batch(pool, count) for _ in range(5))
    return {"cold": count / cold, "value": count / warm}


def map_items(ctx):
    """ms for map() of 100,000 trivial items at the default chunk size: on a new Pool(4) (cold),
    and the median of 21 after 300 more (warm: as long as the JVM side needs to compile its path)."""
    items = list(range(10_000 if QUICK else 100_000))
    with ctx.Pool(4) as pool:
        pool.map(identity, range(4), chunksize=1)
        t0 = time.perf_counter()
        out = pool.map(identity, items)
        cold = time.perf_counter() - t0
        for _ in range(5 if QUICK else 300):
            pool.map(identity, items)
        samples = []
        for _ in range(21):
            t0 = time.perf_counter()
            out = pool.map(identity, items)
            samples.append(time.perf_counter() - t0)
            assert out == items
    return {"cold": cold * 1e3, "value": statistics.median(samples) * 1e3}


def speedup(ctx):
    """Serial time / Pool(2) time for 8 CPU-bound tasks."""
    n = 200_000 if QUICK else 3_000_000
    t0 = time.perf_counter()
    expected = [burn(n) for _ in range(8)]
    serial = time.perf_counter() - t0
    with ctx.Pool(2) as pool:
        pool.map(identity, range(2), chunksize=1)
        t0 = time.perf_counter()
        out = pool.map(burn, [n] * 8, chunksize=1)
        parallel = time.perf_counter() - t0
    assert out == expected
    return {"value": serial / parallel, "serial_s": serial, "pool_s": parallel}


def oneshot(ctx):
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "oneshot.py")
    items = "10000" if QUICK else "100000"
    return benchcommon.whole_process([sys.executable, script, ctx.get_start_method(), items], 2 if QUICK else 5)


def both(workload):
    def run():
        out = {}
        for method in ("fork", "spawn"):
            for key, value in workload(mp.get_context(method)).items():
                out[method + "_" + key] = value
        return out
    return run


WORKLOADS = {
    "ready": both(ready),
    "apply": both(apply_round_trip),
    "applyasync": both(apply_async_throughput),
    "map": both(map_items),
    "speedup": both(speedup),
    "oneshot": both(oneshot),
}


if __name__ == "__main__":
    benchcommon.main("mp_bench.py", WORKLOADS)
