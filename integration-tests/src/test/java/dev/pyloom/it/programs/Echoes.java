package dev.pyloom.it.programs;

import dev.pyloom.ipc.Connection;
import dev.pyloom.ipc.Queue;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;

/**
 * Children that send back what they are sent, and the payloads they are sent: every size is a
 * pattern of its own, so a payload cut short, shifted or mixed up with another never matches.
 */
public final class Echoes {

    /** What a queue echo is sent to stop. */
    public static final String STOP = "";

    private Echoes() {}

    /** {@code size} random bytes, the same for the same size: no stretch of them repeats another. */
    public static byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        new java.util.SplittableRandom(size).nextBytes(bytes);
        return bytes;
    }

    /** {@code size} ASCII characters, each depending on its position and on the size. */
    public static String text(int size) {
        char[] chars = new char[size];
        for (int i = 0; i < size; i++) {
            chars[i] = (char) ('a' + (i + size) % 26);
        }
        return new String(chars);
    }

    /** Sends back every message it receives on {@code conn}, as it came, until the end of the stream. */
    public static void pipe(Connection conn) throws IOException {
        try (conn) {
            for (;;) {
                byte[] message;
                try {
                    message = conn.recvBytes();
                } catch (EOFException end) {
                    return;
                }
                conn.sendBytes(message);
            }
        }
    }

    /** Moves every item from {@code in} to {@code out}, until {@link #STOP}. */
    public static void queue(Queue<String> in, Queue<String> out) throws IOException {
        for (String item; !(item = in.get()).equals(STOP);) {
            out.put(item);
        }
    }

    /** A pool task: {@code text} in upper case, as large as it came. */
    public static String upper(String text) {
        return text.toUpperCase(java.util.Locale.ROOT);
    }

    /** A pool task: the length of what it was sent. */
    public static int length(String text) {
        return text.length();
    }

    /** A pool task whose result is {@code size} characters, the argument a few bytes. */
    public static String made(int size) {
        return text(size);
    }

    /** Whether {@code bytes} is {@link #bytes(int) bytes(size)}. */
    public static boolean isBytes(byte[] bytes, int size) {
        return Arrays.equals(bytes, bytes(size));
    }
}
