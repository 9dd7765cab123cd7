package dev.pyloom.multiprocessing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A child's standard error as the parent copies and quotes it. */
class ErrorStreamTest {

    private static ErrorStream copied(String text, ByteArrayOutputStream into) throws InterruptedException {
        PrintStream original = System.err;
        System.setErr(new PrintStream(into, true, StandardCharsets.UTF_8));
        try {
            ErrorStream stream = ErrorStream.pump(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test");
            assertTrue(stream.awaitEnd(Duration.ofSeconds(30)));
            return stream;
        } finally {
            System.setErr(original);
        }
    }

    @Test
    void everythingIsCopiedAndAPartialLastLineIsEnded() throws Exception {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        ErrorStream stream = copied("first\nsecond\nno end", copy);
        assertEquals("first\nsecond\nno end\n", copy.toString(StandardCharsets.UTF_8));
        assertEquals("first\nsecond\nno end\n", stream.head());
    }

    @Test
    void aCarriageReturnEndsALineSoThatProgressShowsAsItComes() throws Exception {
        ErrorStream stream = copied("10%\r20%\rdone\n", new ByteArrayOutputStream());
        assertEquals("10%\r20%\rdone\n", stream.head());
        assertTrue(stream.quote().contains("10%"), stream.quote());
    }

    @Test
    void theTailOfALongStackTraceKeepsItsHeadline() throws Exception {
        StringBuilder trace = new StringBuilder("Exception in thread \"main\" java.lang.OutOfMemoryError: too large\n");
        for (int i = 0; i < 30; i++) {
            trace.append("\tat Frame.method").append(i).append("(Frame.java)\n");
        }
        String quoted = copied(trace.toString(), new ByteArrayOutputStream()).quoteTail();
        assertTrue(quoted.contains("OutOfMemoryError: too large"), quoted);
        assertTrue(quoted.contains("Frame.method29"), quoted);
        assertTrue(!quoted.contains("Frame.method0("), "only the last lines: " + quoted);
    }
}
