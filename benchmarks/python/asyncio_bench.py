#!/usr/bin/env python3
"""The CPython side of pyloom's side-by-side asyncio benchmarks.

Usage:  python3 asyncio_bench.py WORKLOAD [--quick]

Runs one workload in this fresh interpreter and prints one line of key=value
pairs, the same format the Java side prints, for SideBySide to put in its
table.  Standard library only.  Timed workloads report the best of several
rounds, after one warm-up round, as threading_bench.py does.

The Java side runs each workload once per event-loop strategy and names it
WORKLOAD/STRATEGY; this script accepts those names too and ignores the
strategy, which CPython does not have.

Each workload is written the way asyncio code is written: asyncio.run,
create_task, await, asyncio.sleep, Event, Queue, loop.call_soon, gather.
"""

import asyncio
import resource
import sys
import time

QUICK = "--quick" in sys.argv

TASKS = 1_000 if QUICK else 100_000
SLEEPERS = 1_000 if QUICK else 1_000_000
QUEUE_ITEMS = 1_000 if QUICK else 1_000_000
SWITCHES = 1_000 if QUICK else 200_000
CALLBACKS = 1_000 if QUICK else 1_000_000
GATHERED = 100 if QUICK else 10_000
ECHO_CLIENTS = 5 if QUICK else 100
ECHO_TRIPS = 10 if QUICK else 1_000
MESSAGE = b"x" * 63 + b"\n"  # one 64-byte line per round trip


def best_of(rounds, measure):
    """Runs the coroutine function `measure` on a fresh loop: one warm-up round, then the best."""
    asyncio.run(measure())
    return min(asyncio.run(measure()) for _ in range(rounds))


async def tasks():
    """us per task: create TASKS tasks that each sleep(0), then await them all."""
    async def one():
        await asyncio.sleep(0)

    t0 = time.perf_counter()
    created = [asyncio.create_task(one()) for _ in range(TASKS)]
    for task in created:
        await task
    return (time.perf_counter() - t0) / TASKS * 1e6


async def sleepers():
    """SLEEPERS tasks each sleeping 1 s, gathered: wall time and peak RSS."""
    async def one():
        await asyncio.sleep(1)

    t0 = time.perf_counter()
    await asyncio.gather(*[asyncio.create_task(one()) for _ in range(SLEEPERS)])
    wall = time.perf_counter() - t0
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {"wall_s": wall, "rss_mb": peak_kib / 1024}


async def queue():
    """ms to pass QUEUE_ITEMS items from a producer to a consumer through a Queue of 1,000."""
    q = asyncio.Queue(1_000)

    async def consumer():
        total = 0
        for _ in range(QUEUE_ITEMS):
            total += await q.get()
        return total

    t0 = time.perf_counter()
    consuming = asyncio.create_task(consumer())
    for i in range(QUEUE_ITEMS):
        await q.put(i)
    total = await consuming
    elapsed = (time.perf_counter() - t0) * 1e3
    assert total == QUEUE_ITEMS * (QUEUE_ITEMS - 1) // 2, total
    return elapsed


async def switch_event():
    """ns per switch: two coroutines wake each other through two Events."""
    ping, pong = asyncio.Event(), asyncio.Event()

    async def server():
        for _ in range(SWITCHES):
            await ping.wait()
            ping.clear()
            pong.set()

    serving = asyncio.create_task(server())
    t0 = time.perf_counter()
    for _ in range(SWITCHES):
        ping.set()
        await pong.wait()
        pong.clear()
    await serving
    return (time.perf_counter() - t0) / (2 * SWITCHES) * 1e9


async def switch_future():
    """ns per switch: two coroutines wake each other by completing a fresh Future each time."""
    loop = asyncio.get_running_loop()
    exchange = {"request": loop.create_future(), "reply": None}

    async def server():
        for _ in range(SWITCHES):
            await exchange["request"]
            exchange["request"] = loop.create_future()
            exchange["reply"].set_result(None)

    serving = asyncio.create_task(server())
    t0 = time.perf_counter()
    for _ in range(SWITCHES):
        exchange["reply"] = loop.create_future()
        exchange["request"].set_result(None)
        await exchange["reply"]
    await serving
    return (time.perf_counter() - t0) / (2 * SWITCHES) * 1e9


async def call_soon():
    """Callbacks per second: call_soon 1,000 callbacks and let the loop run them, over and over."""
    loop = asyncio.get_running_loop()
    count = [0]

    def callback():
        count[0] += 1

    t0 = time.perf_counter()
    for _ in range(CALLBACKS // 1_000):
        for _ in range(1_000):
            loop.call_soon(callback)
        await asyncio.sleep(0)
    rate = CALLBACKS / (time.perf_counter() - t0)
    assert count[0] == CALLBACKS, count[0]
    return -rate  # best_of keeps the minimum; the best rate is the highest


async def gather():
    """ms to gather GATHERED coroutines that each sleep(0) and return a value."""
    async def one(value):
        await asyncio.sleep(0)
        return value

    t0 = time.perf_counter()
    results = await asyncio.gather(*[one(i) for i in range(GATHERED)])
    elapsed = (time.perf_counter() - t0) * 1e3
    assert len(results) == GATHERED
    return elapsed


async def echo_handler(reader, writer):
    """The echo server: every line back, until the client's EOF."""
    while line := await reader.readline():
        writer.write(line)
        await writer.drain()
    writer.close()


async def echo_clients(port):
    """Round trips per second: ECHO_CLIENTS clients, each making ECHO_TRIPS round trips of a line."""
    async def client():
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for _ in range(ECHO_TRIPS):
            writer.write(MESSAGE)
            await writer.drain()
            line = await reader.readline()
            assert len(line) == len(MESSAGE), line
        writer.close()
        await writer.wait_closed()

    t0 = time.perf_counter()
    await asyncio.gather(*[client() for _ in range(ECHO_CLIENTS)])
    return ECHO_CLIENTS * ECHO_TRIPS / (time.perf_counter() - t0)


async def echo_local():
    """TCP echo with the server on the same loop as its clients: round trips per second (negated)."""
    server = await asyncio.start_server(echo_handler, "127.0.0.1", 0)
    try:
        return -await echo_clients(server.sockets[0].getsockname()[1])
    finally:
        server.close()
        await server.wait_closed()


def echo_remote():
    """TCP echo with the server in a child python: round trips per second, best of three."""
    import subprocess
    child = subprocess.Popen([sys.executable, __file__, "echo_server"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        port = int(child.stdout.readline())
        return -best_of(3, lambda: _negated(echo_clients(port)))
    finally:
        child.stdin.close()  # the server's cue to stop
        child.wait()


async def _negated(rate):
    return -await rate


async def echo_server():
    """The child of echo_remote: serves until its stdin ends, after printing its port."""
    server = await asyncio.start_server(echo_handler, "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    server.close()


def main():
    names = [a for a in sys.argv[1:] if not a.startswith("--")]
    workloads = {
        "tasks": lambda: {"value": best_of(5, tasks)},
        "sleepers": lambda: asyncio.run(sleepers()),
        "queue": lambda: {"value": best_of(3, queue)},
        "switch_event": lambda: {"value": best_of(3, switch_event)},
        "switch_future": lambda: {"value": best_of(3, switch_future)},
        "callsoon": lambda: {"value": -best_of(3, call_soon)},
        "gather": lambda: {"value": best_of(5, gather)},
        "echo_local": lambda: {"value": -best_of(3, echo_local)},
        "echo_remote": lambda: {"value": echo_remote()},
        "echo_server": lambda: asyncio.run(echo_server()) or {},
    }
    workload = names[0].split("/")[0] if len(names) == 1 else None
    if workload not in workloads:
        sys.exit("usage: asyncio_bench.py {%s}[/STRATEGY] [--quick]" % ",".join(workloads))
    result = workloads[workload]()
    if workload == "echo_server":
        return
    print(" ".join("%s=%.6g" % (k, v) for k, v in result.items()))


if __name__ == "__main__":
    main()
