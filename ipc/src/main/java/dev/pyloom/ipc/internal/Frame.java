package dev.pyloom.ipc.internal;

/** One frame to write: its kind and its whole payload. */
public record Frame(FrameKind kind, byte[] payload) {}
