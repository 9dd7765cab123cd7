package dev.pyloom.multiprocessing.internal;

import dev.pyloom.ipc.Json;
import java.io.OutputStream;
import java.util.Collection;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Jackson's streaming parser and generator without its object mapper, for the frames whose
 * values are plain scalars: the bootstrap, the hello, a task without captured values, calls and
 * results of numbers, text and booleans ({@link PlainCalls}). Building the mapper (and its deserializers for
 * records) is most of a new JVM's JSON cost, a third of a worker's start: a worker and a parent
 * that only ever move such frames never build it. Anything else goes through the mapper, with
 * the same rules.
 */
final class JsonStreams {

    /** A factory with Jackson's default limits, the same as the mapper's. */
    private static final JsonFactory PLAIN = JsonFactory.builder().build();

    private JsonStreams() {}

    /** A parser of {@code frame}; values that need the mapper are read with its readers. */
    static JsonParser parser(byte[] frame) {
        return PLAIN.createParser(ObjectReadContext.empty(), frame);
    }

    /** A parser of {@code text}. */
    static JsonParser parser(String text) {
        return PLAIN.createParser(ObjectReadContext.empty(), text);
    }

    /**
     * A generator into {@code out}: the mapper's if {@code scalarsOnly} is false (it can write any
     * value), a plain one otherwise.
     */
    static JsonGenerator generator(OutputStream out, boolean scalarsOnly) {
        return scalarsOnly ? PLAIN.createGenerator(ObjectWriteContext.empty(), out) : Json.mapper().createGenerator(out);
    }

    /** Whether {@link #writeScalar} writes {@code value} without the mapper. */
    static boolean isScalar(Object value) {
        return value == null || value instanceof Integer || value instanceof Long || value instanceof String
                || value instanceof Boolean || value instanceof Double;
    }

    /** Whether every value is a scalar. */
    static boolean allScalars(Collection<?> values) {
        for (Object value : values) {
            if (!isScalar(value)) {
                return false;
            }
        }
        return true;
    }

    /*
     * One argument or result: the common scalars written directly, anything else through the
     * mapper (the generator must then be the mapper's). A chunk of a map holds thousands of
     * values, and looking up each one's serializer costs more than writing an int (measured: a
     * chunk of ints encodes in 7 ns a call instead of 12).
     */
    static void writeValue(JsonGenerator json, Object value) {
        switch (value) {
            case Integer i -> json.writeNumber(i);
            case Long l -> json.writeNumber(l);
            case String text -> json.writeString(text);
            case Boolean b -> json.writeBoolean(b);
            case Double d -> json.writeNumber(d); // as the mapper writes it: NaN and the infinities as strings
            case null -> json.writeNull();
            default -> json.writePOJO(value);
        }
    }
}
