package dev.pyloom.ipc.internal;

/** The kinds of frame on the wire; the byte after the length. */
public enum FrameKind {
    /** A message: UTF-8 JSON, what {@code send} writes and {@code recv} decodes. */
    MESSAGE(1),
    /** Raw bytes, what {@code sendBytes} writes; no JSON involved. */
    BYTES(2),
    /** The library's own traffic (handshake, attaching handles, queue requests): a JSON object with an "op". */
    CONTROL(3);

    final byte code;

    FrameKind(int code) {
        this.code = (byte) code;
    }

    /** The kind with this code, or null if there is none. */
    static FrameKind of(byte code) {
        return switch (code) {
            case 1 -> MESSAGE;
            case 2 -> BYTES;
            case 3 -> CONTROL;
            default -> null;
        };
    }
}
