package dev.pyloom.cluster.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * What a node tells its workers, as system properties: which node they serve, and how to reach
 * the cluster themselves (for a queue between machines that a task opens). The key
 * is never on a command line, where {@code ps} shows it: it is in a file only the node's user
 * can read, in a directory only that user can enter, removed when the node stops.
 */
public final class WorkerProperties {

    /** The node's name. */
    public static final String NODE = "pyloom.node";

    /** The cluster's name. */
    public static final String CLUSTER = "pyloom.cluster";

    /** {@code host:port} of the node's member. */
    public static final String MEMBER = "pyloom.cluster.member";

    /** The file that holds the cluster's key. */
    public static final String KEY_FILE = "pyloom.cluster.keyFile";

    private static final String PREFIX = "pyloom-node-";

    private WorkerProperties() {}

    /** The options that give a worker these properties. */
    static List<String> options(String node, String cluster, String address, Path keyFile) {
        return List.of("-D" + NODE + "=" + node, "-D" + CLUSTER + "=" + cluster, "-D" + MEMBER + "=" + address,
                "-D" + KEY_FILE + "=" + keyFile);
    }

    /**
     * Writes {@code key} where only this user can read it; the returned file's directory is the
     * node's to remove. First removes those that nodes killed before they could remove theirs left.
     */
    public static Path writeKey(byte[] key) throws IOException {
        removeStale(Path.of(System.getProperty("java.io.tmpdir")));
        Path directory = Files.createTempDirectory(PREFIX + ProcessHandle.current().pid() + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path file = directory.resolve("cluster.key");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(file, key);
        return file;
    }

    /** Removes the key directories in {@code tmp} of nodes whose process is gone (killed, so it could not). */
    private static void removeStale(Path tmp) {
        try (DirectoryStream<Path> directories = Files.newDirectoryStream(tmp, PREFIX + "*")) {
            for (Path directory : directories) {
                String name = directory.getFileName().toString();
                int end = name.indexOf('-', PREFIX.length());
                long pid;
                try {
                    pid = Long.parseLong(name.substring(PREFIX.length(), end < 0 ? name.length() : end));
                } catch (NumberFormatException notOurs) {
                    continue;
                }
                if (ProcessHandle.of(pid).isEmpty() && Files.isDirectory(directory)) {
                    removeKey(directory.resolve("cluster.key"));
                }
            }
        } catch (IOException | SecurityException unreadable) {
            // another user's, or a tmp we cannot list: nothing of ours to remove
        }
    }

    /** Removes the key's file and its directory; quietly, as it goes with the node. */
    public static void removeKey(Path file) {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.getParent());
        } catch (IOException stays) {
            System.getLogger("dev.pyloom.cluster").log(System.Logger.Level.WARNING,
                    "could not remove the node's key file " + file + ": " + stays);
        }
    }
}
