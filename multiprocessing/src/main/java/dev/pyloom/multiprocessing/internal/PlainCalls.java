package dev.pyloom.multiprocessing.internal;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * A job's calls read with the streaming parser alone, when every parameter is a plain scalar
 * ({@code String}, {@code int}, {@code long}, {@code boolean}, {@code double}, their boxes, or
 * {@code Object}) and every argument is a token that the mapper would read as exactly the same
 * value. Anything else (an argument the mapper would coerce, a null for a primitive, a call of
 * the wrong length) is left to the mapper, which then reads the whole job, with its rules and
 * its messages. So a worker whose tasks take plain scalars never builds the mapper: a third of
 * its start, and its first {@code apply} (see {@link JsonStreams}).
 */
final class PlainCalls {

    /** A parameter the streaming parser can fill, and the tokens it takes for it. */
    private enum Kind {
        STRING, INT, INTEGER, LONG, LONG_BOXED, BOOLEAN, BOOLEAN_BOXED, DOUBLE, DOUBLE_BOXED, OBJECT;

        private static final Map<Type, Kind> OF = Map.of(String.class, STRING, int.class, INT, Integer.class, INTEGER,
                long.class, LONG, Long.class, LONG_BOXED, boolean.class, BOOLEAN, Boolean.class, BOOLEAN_BOXED,
                double.class, DOUBLE, Double.class, DOUBLE_BOXED, Object.class, OBJECT);

        /** The kind of a parameter or result of {@code type}; null if it is not plain. */
        static Kind of(Type type) {
            return OF.get(type);
        }

        boolean boxed() {
            return this != INT && this != LONG && this != BOOLEAN && this != DOUBLE;
        }
    }

    /** What {@link #read} returns for a value the mapper must read. */
    private static final Object MAPPER = new Object();

    private PlainCalls() {}

    /**
     * The kinds of {@code types}, or null if any of them is not plain (the mapper reads every
     * job of such a task).
     */
    private static Kind[] kinds(Type[] types) {
        Kind[] kinds = new Kind[types.length];
        for (int i = 0; i < types.length; i++) {
            kinds[i] = Kind.of(types[i]);
            if (kinds[i] == null) {
                return null;
            }
        }
        return kinds;
    }

    /**
     * The calls that {@code json} (just past the {@code "calls"} or {@code "args"} name) holds,
     * each decoded into {@code types}; {@code single} for a map's chunk, one argument per call.
     * Null if the mapper must read them: the parser is then somewhere inside them, and the job
     * is to be read again from the start.
     */
    static List<Object[]> read(JsonParser json, Type[] types, boolean single) {
        Kind[] kinds = kinds(types);
        if (kinds == null || json.nextToken() != JsonToken.START_ARRAY) {
            return null;
        }
        List<Object[]> calls = new ArrayList<>();
        if (single) {
            for (JsonToken token = json.nextToken(); token != JsonToken.END_ARRAY; token = json.nextToken()) {
                Object value = read(json, token, kinds[0]);
                if (value == MAPPER) {
                    return null;
                }
                calls.add(new Object[] {value});
            }
            return Collections.unmodifiableList(calls);
        }
        for (JsonToken token = json.nextToken(); token != JsonToken.END_ARRAY; token = json.nextToken()) {
            if (token != JsonToken.START_ARRAY) {
                return null;
            }
            Object[] arguments = new Object[kinds.length];
            for (int i = 0; i < kinds.length; i++) {
                Object value = read(json, json.nextToken(), kinds[i]);
                if (value == MAPPER) {
                    return null;
                }
                arguments[i] = value;
            }
            if (json.nextToken() != JsonToken.END_ARRAY) {
                return null;
            }
            calls.add(arguments);
        }
        return Collections.unmodifiableList(calls);
    }

    /**
     * The value of {@code token} as the mapper would read it into a {@code kind}, or
     * {@link #MAPPER} where its answer is anything else (a coercion, an error).
     */
    private static Object read(JsonParser json, JsonToken token, Kind kind) {
        if (token == JsonToken.VALUE_NULL) {
            return kind.boxed() ? null : MAPPER; // a null for a primitive fails, in the mapper's words
        }
        return switch (kind) {
            case STRING -> token == JsonToken.VALUE_STRING ? json.getString() : MAPPER;
            case INT, INTEGER -> token == JsonToken.VALUE_NUMBER_INT && json.getNumberType() == JsonParser.NumberType.INT
                    ? (Object) json.getIntValue() : MAPPER;
            case LONG, LONG_BOXED -> token == JsonToken.VALUE_NUMBER_INT && json.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                    ? (Object) json.getLongValue() : MAPPER;
            case BOOLEAN, BOOLEAN_BOXED -> token == JsonToken.VALUE_TRUE ? Boolean.TRUE
                    : token == JsonToken.VALUE_FALSE ? Boolean.FALSE : MAPPER;
            case DOUBLE, DOUBLE_BOXED -> token == JsonToken.VALUE_NUMBER_FLOAT ? (Object) json.getDoubleValue() : MAPPER;
            case OBJECT -> switch (token) {
                case VALUE_STRING -> json.getString();
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_NUMBER_INT -> switch (json.getNumberType()) {
                    case INT -> (Object) json.getIntValue();
                    case LONG -> (Object) json.getLongValue();
                    default -> MAPPER;
                };
                default -> MAPPER; // floats (the mapper's own number rules), arrays, objects
            };
        };
    }
}
