package dev.pyloom.multiprocessing.internal;

import dev.pyloom.ipc.Client;
import dev.pyloom.ipc.Connection;
import dev.pyloom.ipc.Listener;
import dev.pyloom.ipc.internal.SocketFiles;
import dev.pyloom.multiprocessing.Task;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.channels.FileChannel;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;

/**
 * The trainer JVM of a {@link ClassDataArchive}: it rehearses what a pool worker does on its way
 * to its first answer, so that the classes involved are loaded, then has the JVM write them to
 * an archive while it runs ({@code VM.cds dynamic_dump}, through the diagnostic-command MBean),
 * moves the archive into place, prunes the cache, and exits.
 *
 * <p>Started with its output discarded and nobody waiting, it must end on its own: a watchdog
 * halts it after {@link #DEADLINE} whatever happens. It holds an OS lock on the archive's lock
 * file while it runs, so that only one trainer records an archive at a time.
 */
final class ArchiveTrainer {

    static final Duration DEADLINE = Duration.ofMinutes(2);

    private ArchiveTrainer() {}

    static void record(Path archive) {
        Thread.ofPlatform().daemon().name("pyloom-trainer-deadline").start(() -> {
            try {
                Thread.sleep(DEADLINE.toMillis()); // a deadline, not synchronisation
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(3);
        });
        Path lock = archive.resolveSibling(archive.getFileName().toString().replace(".jsa", ".training"));
        Path partial = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            // held until this JVM ends: the kernel lets go of it then, however it ends
            FileChannel locked = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (locked.tryLock() == null || Files.exists(archive)) {
                Runtime.getRuntime().halt(0); // another trainer is at it, or was done first
            }
            rehearse();
            SocketFiles.deleteDirectory(); // the rehearsal's: this JVM halts, and runs no exit actions
            CacheDirectory.prune(archive.getParent(), ".jsa", ClassDataArchive.MAX_ARCHIVES - 1, ClassDataArchive.MAX_BYTES);
            ClassDataArchive.checksum(lock); // links the calls made after the dump, as:
            moveIntoPlace(partial, archive, lock); // (nothing to move yet)
            ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "vmCds", new Object[] {new String[] {"dynamic_dump", partial.toString()}},
                    new String[] {String[].class.getName()});
            moveIntoPlace(partial, archive, lock);
            Runtime.getRuntime().halt(0);
        } catch (Throwable failed) {
            try {
                Files.deleteIfExists(partial);
            } catch (Exception ignored) {
                // the cache's pruning removes it
            }
            Runtime.getRuntime().halt(1);
        }
    }

    /*
     * After a dynamic dump the JVM must not link anything new: linking a lambda there has been
     * seen to crash it (JDK 25). So the code after the dump runs once before it, on nothing, and
     * the trainer halts right after.
     */
    private static void moveIntoPlace(Path partial, Path archive, Path lock) throws java.io.IOException {
        if (Files.exists(partial)) {
            Files.writeString(ClassDataArchive.checksumFile(archive), ClassDataArchive.checksum(partial));
            Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(lock);
        }
    }

    static int square(int x) {
        return x * x;
    }

    /** A pool and a worker in one JVM: bootstrap, connection, a map's chunk, its answer, a failure. */
    private static void rehearse() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Protocol.Bootstrap bootstrap = Protocol.Bootstrap.decode(new String(new Protocol.Bootstrap("pool", "PoolWorker-0",
                true, "", Base64.getEncoder().encodeToString(key), "token", null, List.of(), null, null).encode(),
                java.nio.charset.StandardCharsets.UTF_8));
        LineOutput.install();
        Task.Call1<Integer, Integer> task = ArchiveTrainer::square;
        Wire.Results results = Wire.resultsReader(int.class);
        try (Listener listener = Listener.builder().authKey(key).maxFrameBytes(Protocol.MAX_FRAME_BYTES).open()) {
            CompletableFuture<byte[]> answer = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try (Connection pool = listener.accept()) {
                    Protocol.Hello.decode(pool.recvBytes());
                    pool.sendBytes(Wire.job(1, Wire.encodeTask(TaskRef.of(task)), Wire.encodeCalls(List.of(1, 2, 3), true)));
                    answer.complete(pool.recvBytes());
                } catch (Throwable e) {
                    answer.completeExceptionally(e);
                }
            });
            try (Connection worker = Client.connect(listener.address(), Base64.getDecoder().decode(bootstrap.key()),
                    Protocol.MAX_FRAME_BYTES)) {
                worker.sendBytes(new Protocol.Hello(bootstrap.token(), ProcessHandle.current().pid()).encode());
                Wire.Job job = Wire.readJob(worker.recvBytes(), new Invocation.Cache(ArchiveTrainer.class.getClassLoader()));
                worker.sendBytes(WorkerMain.run(job));
            }
            Wire.readOutcome(answer.get(DEADLINE.toSeconds(), TimeUnit.SECONDS), results);
        }
        Wire.readOutcome(Wire.failure(2, Failure.of(new IllegalStateException("rehearsed"))), results);
    }
}
