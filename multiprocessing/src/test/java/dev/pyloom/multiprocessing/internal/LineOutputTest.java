package dev.pyloom.multiprocessing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineOutputTest {

    /** Records each write it is given, as the console would see them. */
    private static final class Writes extends OutputStream {
        final List<String> writes = new ArrayList<>();

        @Override
        public void write(int b) {
            writes.add(String.valueOf((char) b));
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writes.add(new String(b, off, len, StandardCharsets.UTF_8));
        }
    }

    @Test
    void aPrintfInPiecesReachesTheConsoleAsOneWrite() {
        Writes console = new Writes();
        PrintStream out = new PrintStream(new LineOutput(console), false, StandardCharsets.UTF_8);
        out.printf("Run task %s (%s)...%n", 3, 4242);
        out.printf("Task %s runs %.2f seconds.%n", 3, 1.5);
        assertEquals(List.of("Run task 3 (4242)...\n", "Task 3 runs 1.50 seconds.\n"), console.writes);
    }

    @Test
    void aPartialLineWaitsForItsNewlineOrAFlush() throws IOException {
        Writes console = new Writes();
        LineOutput out = new LineOutput(console);
        out.write("one\ntw".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("one\n"), console.writes);
        out.write("o\nthree\nfo".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("one\n", "two\nthree\n"), console.writes);
        out.flush();
        assertEquals(List.of("one\n", "two\nthree\n", "fo"), console.writes);
    }

    @Test
    void aLongLineWithoutNewlineIsNotHeldForever() throws IOException {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        LineOutput out = new LineOutput(console);
        byte[] chunk = new byte[1000];
        java.util.Arrays.fill(chunk, (byte) 'x');
        for (int i = 0; i < 10; i++) {
            out.write(chunk);
        }
        assertEquals(9000, console.size(), "written once 8 KiB had piled up");
    }
}
