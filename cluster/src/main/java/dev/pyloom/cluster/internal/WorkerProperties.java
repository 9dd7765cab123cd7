package dev.pyloom.cluster.internal;

import java.io.IOException;
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

    private WorkerProperties() {}

    /** The options that give a worker these properties. */
    static List<String> options(String node, String cluster, String address, Path keyFile) {
        return List.of("-D" + NODE + "=" + node, "-D" + CLUSTER + "=" + cluster, "-D" + MEMBER + "=" + address,
                "-D" + KEY_FILE + "=" + keyFile);
    }

    /** Writes {@code key} where only this user can read it; the returned file's directory is the node's to remove. */
    public static Path writeKey(byte[] key) throws IOException {
        Path directory = Files.createTempDirectory("pyloom-node-" + ProcessHandle.current().pid() + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path file = directory.resolve("cluster.key");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(file, key);
        return file;
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
