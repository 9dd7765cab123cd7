package dev.pyloom.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.ipc.Connection;
import dev.pyloom.ipc.Listener;
import dev.pyloom.ipc.Queue;
import dev.pyloom.it.programs.Faults;
import dev.pyloom.multiprocessing.AsyncResult;
import dev.pyloom.multiprocessing.Pool;
import dev.pyloom.multiprocessing.ResultIterator;
import dev.pyloom.multiprocessing.WorkerDiedException;
import dev.pyloom.testing.ChildJvm;
import dev.pyloom.testing.Processes;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults as they happen to users: a worker killed from outside (an operator, the OOM killer) in
 * the middle of {@code map} and of {@code imap}; the program itself killed, by SIGKILL and by
 * SIGTERM; a listener among peers that send garbage or nothing; a temporary directory that
 * cannot be used. In each, what the READMEs promise happens and nothing hangs (each test has a
 * time limit).
 */
class FaultsIT {

    private static final Duration LIMIT = Duration.ofSeconds(120);
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** How soon every process of a killed program must be gone. */
    private static final Duration WITHIN_SECONDS = Duration.ofSeconds(10);

    @Test
    void aWorkerKilledInTheMiddleOfMapFailsTheMapAndThePoolGoesOn() {
        assertTimeoutPreemptively(LIMIT, () -> {
            Queue<Long> victims = Queue.of(Long.class);
            try (Pool pool = new Pool(2)) {
                List<Integer> items = IntStream.range(0, 200).boxed().toList();
                AsyncResult<List<Integer>> squares = pool.mapAsync(i -> Faults.squareUnlessVictim(i, 137, victims), items);
                long victim = victims.get(PATIENCE);
                AsyncResult<Integer> queuedBehind = pool.applyAsync(Faults::negate, 7); // may be sent ahead to the victim
                ProcessHandle.of(victim).orElseThrow().destroyForcibly();

                ExecutionException failed = assertThrows(ExecutionException.class, () -> squares.get(PATIENCE));
                WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, failed.getCause());
                assertEquals(-9, died.exitCode(), "killed by SIGKILL");
                assertTrue(died.getMessage().contains(Long.toString(victim)), "names the worker: " + died.getMessage());
                assertEquals(-7, queuedBehind.get(PATIENCE), "work queued behind the killed task is not failed with it");

                assertEquals(items.stream().map(i -> i * i).toList(), pool.map(i -> i * i, items),
                        "the pool goes on, with a replacement worker");
                pool.close();
                pool.join();
            }
        });
    }

    @Test
    void aWorkerKilledInTheMiddleOfImapFailsItsItemAloneAndTheRestCome() {
        assertTimeoutPreemptively(LIMIT, () -> {
            Queue<Long> victims = Queue.of(Long.class);
            try (Pool pool = new Pool(2)) {
                ResultIterator<Integer> squares = pool.imap(i -> Faults.squareUnlessVictim(i, 20, victims),
                        IntStream.range(0, 50).boxed().toList());
                ProcessHandle.of(victims.get(PATIENCE)).orElseThrow().destroyForcibly();
                for (int i = 0; i < 50; i++) {
                    if (i == 20) {
                        assertEquals(-9, assertThrows(WorkerDiedException.class, squares::next).exitCode());
                    } else {
                        assertEquals(i * i, squares.next(), "position " + i);
                    }
                }
                assertFalse(squares.hasNext());
                pool.close();
                pool.join();
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"SIGKILL", "SIGTERM"})
    void aProgramKilledTakesItsWorkersAndChildrenWithIt(String signal, @TempDir Path dir) {
        long[][] found = {{}};
        try {
            killAndCheckChildren(signal, dir.resolve("pids"), found);
        } finally {
            for (long pid : found[0]) { // a child the program failed to take with it is not left running
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    /** Runs the program, signals it, and checks that its children are gone; their pids go to {@code found[0]}. */
    private static void killAndCheckChildren(String signal, Path pidFile, long[][] found) {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ChildJvm program = ChildJvm.start(Faults.ParentOfMany.class, pidFile.toString())) {
                await().atMost(PATIENCE).until(() -> Files.exists(pidFile) || !program.process().isAlive());
                assertTrue(program.process().isAlive(), "the program started its pool and child: "
                        + (program.process().isAlive() ? "" : program.await().stderr()));
                long[] pids = Arrays.stream(Files.readString(pidFile).split(" ")).mapToLong(Long::parseLong).toArray();
                found[0] = pids;
                assertEquals(3, pids.length, "two workers and a child");
                if (signal.equals("SIGKILL")) {
                    program.process().destroyForcibly();
                } else {
                    program.process().destroy();
                }
                assertTrue(program.process().waitFor(WITHIN_SECONDS.toSeconds(), java.util.concurrent.TimeUnit.SECONDS),
                        "the program ended");
                for (long pid : pids) {
                    await().atMost(WITHIN_SECONDS).until(() -> Processes.gone(pid));
                }
            }
        });
    }

    @Test
    void aListenerAmongGarbageAndSilentPeersServesTheGoodOnes() {
        assertTimeoutPreemptively(LIMIT, () -> {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Random random = new Random(42);
            List<SocketChannel> bad = new ArrayList<>();
            List<ChildJvm> good = new ArrayList<>();
            try (Listener listener = Listener.builder().authKey(key).open()) {
                UnixDomainSocketAddress address = (UnixDomainSocketAddress) listener.address();
                for (int i = 0; i < 300; i++) {
                    SocketChannel peer = SocketChannel.open(address);
                    bad.add(peer);
                    if (i % 3 == 0) { // the others say nothing at all
                        byte[] garbage = new byte[1 + random.nextInt(2_000)];
                        random.nextBytes(garbage);
                        peer.write(ByteBuffer.wrap(garbage));
                    }
                }
                for (int i = 0; i < 3; i++) {
                    good.add(ChildJvm.start(Faults.GoodClient.class, address.getPath().toString(),
                            Base64.getEncoder().encodeToString(key)));
                }
                for (int i = 0; i < good.size(); i++) {
                    try (Connection client = listener.accept()) {
                        assertTrue(String.valueOf(client.recv()).startsWith("hello from "));
                        client.send("welcome");
                    }
                }
                for (ChildJvm client : good) {
                    assertEquals(0, client.await().exitCode(), "each good client was served");
                }
            } finally {
                for (SocketChannel peer : bad) {
                    peer.close();
                }
                for (ChildJvm client : good) {
                    client.close();
                }
            }
        });
    }

    @Test
    void anUnusableTemporaryDirectoryIsAClearErrorNamingIt(@TempDir Path dir) {
        assertTimeoutPreemptively(LIMIT, () -> {
            Path missing = dir.resolve("no-such-directory");
            ChildJvm.Result result;
            try (ChildJvm program = ChildJvm.start(List.of("-Djava.io.tmpdir=" + missing),
                    Faults.PoolWithoutTemporaryDirectory.class)) {
                result = program.await();
            }
            assertEquals(3, result.exitCode(), "the program saw an exception: " + result.stdout() + result.stderr());
            assertTrue(result.stdout().contains(missing.toString()), "names the directory: " + result.stdout());
            assertTrue(result.stdout().contains("java.io.tmpdir"), "names the property to set: " + result.stdout());
        });
    }
}
