package dev.pyloom.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a test may ask the operating system (Linux's {@code /proc}) about another process. */
public final class Processes {

    private Processes() {}

    /** Not running: exited, or a zombie waiting for a reaper this container may not have. */
    public static boolean gone(long pid) {
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
            } catch (IOException vanished) {
                return true;
            }
        }
        return true;
    }

    /**
     * Whether a process ignores a signal ({@code "TERM"}, {@code "INT"}, {@code "HUP"}): the
     * SigIgn mask in {@code /proc/PID/status}. A shell's background job ignores SIGINT, and so
     * does every JVM it starts.
     */
    public static boolean ignores(long pid, String signal) throws IOException {
        int number = switch (signal) {
            case "HUP" -> 1;
            case "INT" -> 2;
            case "TERM" -> 15;
            default -> throw new IllegalArgumentException("not a signal this knows: " + signal);
        };
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("SigIgn:")) {
                long mask = Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16);
                return (mask & (1L << (number - 1))) != 0;
            }
        }
        return false;
    }
}
