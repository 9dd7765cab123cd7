#!/usr/bin/env python3
"""The CPython side of pyloom's side-by-side threading benchmarks.

Usage:  python3 threading_bench.py WORKLOAD [--quick]

Runs one workload in this fresh interpreter and prints one line of key=value
pairs, the same format the Java side prints, for SideBySide to put in its
table.  Standard library only.  Timed workloads report the best of several
rounds, after one warm-up round, exactly as the Java side does.

Each workload is written the way the Python tutorial writes threading code:
threading.Thread, `with lock:`, Condition.wait()/notify(), Event.set()/wait().
"""

import resource
import sys
import threading
import time

import benchcommon

QUICK = "--quick" in sys.argv


def time_threads(threads):
    """Seconds from starting the threads until the last has been joined."""
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - t0


def best_of(rounds, measure):
    measure()  # warm-up: the first round pays for imports, allocation, ...
    return min(measure() for _ in range(rounds))


def uncontended_lock():
    """ns per acquire() + release() of a Lock no other thread touches."""
    n = 10_000 if QUICK else 1_000_000
    lock = threading.Lock()

    def once():
        t0 = time.perf_counter()
        for _ in range(n):
            lock.acquire()
            lock.release()
        return (time.perf_counter() - t0) / n * 1e9

    return {"value": best_of(5, once)}


def locked_counter():
    """ms for 4 threads to increment a Lock-guarded counter 10^6 times in all."""
    total = 10_000 if QUICK else 1_000_000
    threads = 4

    def once():
        lock = threading.Lock()
        counter = [0]

        def work():
            for _ in range(total // threads):
                with lock:
                    counter[0] += 1

        elapsed = time_threads([threading.Thread(target=work) for _ in range(threads)])
        assert counter[0] == total, counter[0]
        return elapsed * 1e3

    return {"value": best_of(3, once)}


def condition_ping_pong():
    """us per round trip: two threads take turns through one Condition."""
    trips = 1_000 if QUICK else 20_000

    def once():
        cond = threading.Condition()
        turn = [0]

        def player(me, other):
            for _ in range(trips):
                with cond:
                    while turn[0] != me:
                        cond.wait()
                    turn[0] = other
                    cond.notify()

        players = [threading.Thread(target=player, args=(0, 1)),
                   threading.Thread(target=player, args=(1, 0))]
        return time_threads(players) / trips * 1e6

    return {"value": best_of(3, once)}


def event_ping_pong():
    """us per round trip: two threads signal each other with two Events."""
    trips = 1_000 if QUICK else 20_000

    def once():
        ping, pong = threading.Event(), threading.Event()

        def server():
            for _ in range(trips):
                ping.wait()
                ping.clear()
                pong.set()

        def client():
            for _ in range(trips):
                ping.set()
                pong.wait()
                pong.clear()

        pair = [threading.Thread(target=server), threading.Thread(target=client)]
        return time_threads(pair) / trips * 1e6

    return {"value": best_of(3, once)}


def start_join():
    """ms to start 1,000 threads that do nothing and join them all."""
    n = 100 if QUICK else 1_000

    def once():
        t0 = time.perf_counter()
        threads = [threading.Thread(target=lambda: None) for _ in range(n)]
        time_threads(threads)
        return (time.perf_counter() - t0) * 1e3

    return {"value": best_of(5, once)}


def sleepers():
    """10,000 threads each sleeping 1 s: wall time, the part of it beyond the 1 s every
    thread sleeps (the cost of the threads themselves), and the process's peak RSS."""
    n = 100 if QUICK else 10_000
    t0 = time.perf_counter()
    time_threads([threading.Thread(target=time.sleep, args=(1,)) for _ in range(n)])
    wall = time.perf_counter() - t0
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {"wall_s": wall, "beyond_s": wall - 1, "rss_mb": peak_kib / 1024}


WORKLOADS = {
    "lock": uncontended_lock,
    "counter": locked_counter,
    "condition": condition_ping_pong,
    "event": event_ping_pong,
    "startjoin": start_join,
    "sleepers": sleepers,
}


if __name__ == "__main__":
    benchcommon.main("threading_bench.py", WORKLOADS)
