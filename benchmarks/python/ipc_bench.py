#!/usr/bin/env python3
"""The CPython side of pyloom's side-by-side ipc benchmarks.

Usage:  python3 ipc_bench.py WORKLOAD [--quick]

Runs one workload with multiprocessing (Pipe, Queue) between this process and
child processes, and prints one line of key=value pairs, the same format the
Java side prints.  Standard library only.  Every workload first warms up, then
measures a steady state: children are started and warmed up before the clock
starts, as on the Java side (where start-up is a JVM's).
"""

import multiprocessing as mp
import sys
import time

import benchcommon

QUICK = "--quick" in sys.argv

# The messages: a small object for round trips, and one of about 100 bytes
# (103 pickled) for throughput.
SMALL = {"id": 12345, "name": "a-name", "values": [1, 2, 3]}
MESSAGE = {"id": 12345, "name": "a-name", "payload": "x" * 50}


def echo(conn):
    while True:
        m = conn.recv()
        if m is None:
            return
        conn.send(m)


def sink(conn, warmup, count, receive=lambda c: c.recv()):
    for _ in range(warmup):
        receive(conn)
    conn.send("warm")
    for _ in range(count):
        receive(conn)
    conn.send("done")


def bytes_sink(conn, warmup, count):
    sink(conn, warmup, count, receive=lambda c: c.recv_bytes())


def pipe_round_trip():
    """us per round trip of a small object between this process and a child."""
    warmup, trips = (200, 1_000) if QUICK else (20_000, 20_000)
    a, b = mp.Pipe()
    child = mp.Process(target=echo, args=(b,))
    child.start()
    for _ in range(warmup):
        a.send(SMALL)
        a.recv()
    t0 = time.perf_counter()
    for _ in range(trips):
        a.send(SMALL)
        a.recv()
    elapsed = time.perf_counter() - t0
    a.send(None)
    child.join()
    return {"value": elapsed / trips * 1e6}


def one_way(target, warmup, count, send):
    """Seconds to send `count` messages to a child, after `warmup` untimed ones."""
    a, b = mp.Pipe()
    child = mp.Process(target=target, args=(b, warmup, count))
    child.start()
    for _ in range(warmup):
        send(a)
    a.recv()
    t0 = time.perf_counter()
    for _ in range(count):
        send(a)
    a.recv()
    elapsed = time.perf_counter() - t0
    child.join()
    return elapsed


def small_messages():
    """messages of about 100 bytes per second, one way, this process to a child."""
    warmup, count = (1_000, 10_000) if QUICK else (300_000, 1_000_000)
    return {"value": count / one_way(sink, warmup, count, lambda c: c.send(MESSAGE))}


def megabytes():
    """MB per second of 1 MB byte payloads (send_bytes), one way, this process to a child."""
    blob = b"x" * (1 << 20)
    warmup, count = (20, 100) if QUICK else (200, 2_000)
    return {"value": count / one_way(bytes_sink, warmup, count, lambda c: c.send_bytes(blob))}


def producer(queue, go, warmup, count, tag):
    for i in range(warmup):
        queue.put((tag, i, MESSAGE))
    go.wait()
    for i in range(count):
        queue.put((tag, i, MESSAGE))


def queue_throughput(producers):
    """messages per second through one Queue, `producers` child processes to this one."""
    warmup, total = (500, 10_000) if QUICK else (300_000, 1_000_000)
    each = total // producers
    queue = mp.Queue()
    go = mp.Event()
    children = [mp.Process(target=producer, args=(queue, go, warmup, each, t)) for t in range(producers)]
    for c in children:
        c.start()
    for _ in range(warmup * producers):
        queue.get()
    t0 = time.perf_counter()
    go.set()
    for _ in range(each * producers):
        queue.get()
    elapsed = time.perf_counter() - t0
    for c in children:
        c.join()
    return {"value": each * producers / elapsed}


def consumer(queue, says, warmup, count):
    for _ in range(warmup):
        queue.get()
    says.send("warm")
    for _ in range(count):
        queue.get()
    says.send("done")


def queue_between_children():
    """messages per second through one Queue from a producer child to a consumer child."""
    warmup, total = (500, 10_000) if QUICK else (300_000, 1_000_000)
    queue = mp.Queue()
    go = mp.Event()
    says, child_says = mp.Pipe()
    children = [mp.Process(target=producer, args=(queue, go, warmup, total, 0)),
                mp.Process(target=consumer, args=(queue, child_says, warmup, total))]
    for c in children:
        c.start()
    says.recv()
    t0 = time.perf_counter()
    go.set()
    says.recv()
    elapsed = time.perf_counter() - t0
    for c in children:
        c.join()
    return {"value": total / elapsed}


WORKLOADS = {
    "roundtrip": pipe_round_trip,
    "small": small_messages,
    "megabytes": megabytes,
    "queue1": lambda: queue_throughput(1),
    "queue4": lambda: queue_throughput(4),
    "queue-children": queue_between_children,
}


if __name__ == "__main__":
    benchcommon.main("ipc_bench.py", WORKLOADS)
