package dev.pyloom.it.programs;

/** A message of the integration scenarios: who produced it, and its number in that producer's stream. */
public record Msg(String producer, int seq) {}
