package dev.pyloom.multiprocessing.internal;

import dev.pyloom.ipc.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.deser.std.StdDeserializer;

/**
 * The frames between a pool and its workers, after the hello: JSON, sent as pyloom-ipc byte
 * frames and read and written in one streaming pass, because a chunk of a {@code map} holds
 * thousands of calls and building a tree per value would cost more than the calls.
 *
 * <pre>
 *   pool -> worker   {"id":7,"task":{TaskRef},"calls":[[arg, ...], ...]}   run these calls, in order
 *                    {"id":7,"task":{TaskRef},"args":[arg, ...]}           one call per argument (a map's chunk)
 *                    {"stop":true}                                         finish and exit
 *   worker -> pool   {"id":7,"results":[result, ...]}                      one result per call
 *                    {"id":7,"failure":{Failure}}                          the first call that threw
 * </pre>
 *
 * <p>The fields come in this order, which lets a worker resolve the task before it reads the
 * calls, decoding each argument straight into its parameter's type. A map's chunk sends its
 * arguments as one flat array: a third of the tokens of one-element argument lists, and, when
 * they are integers, an array that {@link IntegerArrays} scans without Jackson, as it does
 * the results of a task that returns integers.
 */
public final class Wire {

    private static final byte[] STOP = "{\"stop\":true}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CALLS_FIELD = "\"calls\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ARGS_FIELD = "\"args\":".getBytes(StandardCharsets.US_ASCII);

    /**
     * The mapper's readers for values in the middle of a frame (what follows them is the rest of
     * the frame), built when first needed: frames of plain scalars never need them (see
     * {@link JsonStreams}).
     */
    private static final class Readers {
        static final ObjectReader FAILURE = reader(Json.mapper().constructType(Failure.class));
        static final ObjectReader CALLS = reader(Json.mapper().constructType(Calls.class));
        static final ObjectReader NODE = reader(Json.mapper().constructType(JsonNode.class));
    }

    private Wire() {}

    // ------------------------------------------------------------------ the pool's side

    /** A task, encoded once per submission (or once per lambda class, when it captures nothing). */
    public static byte[] encodeTask(TaskRef task) {
        if (!task.captured().isEmpty()) {
            return Json.mapper().writeValueAsBytes(task);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator json = JsonStreams.generator(out, true)) {
            json.writeStartObject();
            json.writeStringProperty("className", task.className());
            json.writeStringProperty("method", task.method());
            json.writeStringProperty("descriptor", task.descriptor());
            json.writeNumberProperty("kind", task.kind());
            json.writeArrayPropertyStart("captured");
            json.writeEndArray();
            json.writeEndObject();
        }
        return out.toByteArray();
    }

    /**
     * The calls of a job, as the frame's last field: each of {@code calls} is one call's argument
     * list ({@code "calls":[[...], ...]}), or, when {@code single} is true, one call's only
     * argument ({@code "args":[...]}).
     *
     * @throws IllegalArgumentException if an argument cannot be encoded, saying which
     */
    public static byte[] encodeCalls(List<?> calls, boolean single) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 + calls.size() * 8);
        out.writeBytes(single ? ARGS_FIELD : CALLS_FIELD);
        if (single ? IntegerArrays.allIntegers(calls) : allIntegerLists(calls)) {
            if (single) {
                IntegerArrays.write(calls, out);
            } else {
                out.write('[');
                for (int i = 0; i < calls.size(); i++) {
                    if (i > 0) {
                        out.write(',');
                    }
                    IntegerArrays.write((List<?>) calls.get(i), out);
                }
                out.write(']');
            }
            return out.toByteArray();
        }
        Object current = null;
        boolean scalars = true;
        for (Object call : calls) {
            scalars &= single ? JsonStreams.isScalar(call) : JsonStreams.allScalars((List<?>) call);
        }
        try (JsonGenerator json = JsonStreams.generator(out, scalars)) {
            json.writeStartArray();
            for (Object call : calls) {
                if (single) {
                    current = call;
                    JsonStreams.writeValue(json, call);
                    continue;
                }
                json.writeStartArray();
                for (Object argument : (List<?>) call) {
                    current = argument;
                    JsonStreams.writeValue(json, argument);
                }
                json.writeEndArray();
            }
            json.writeEndArray();
        } catch (JacksonException e) {
            throw Json.encodingFailure(current, e);
        }
        return out.toByteArray();
    }

    /** Whether every call's arguments are all {@code Integer}s or {@code Long}s. */
    private static boolean allIntegerLists(List<?> calls) {
        for (Object call : calls) {
            if (!(call instanceof List<?> arguments) || !IntegerArrays.allIntegers(arguments)) {
                return false;
            }
        }
        return true;
    }

    /** The frame for one job: its task, and its calls from {@link #encodeCalls(List, boolean)}. */
    public static byte[] job(long id, byte[] task, byte[] calls) {
        byte[] head = ("{\"id\":" + id + ",\"task\":").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[head.length + task.length + 1 + calls.length + 1];
        int at = 0;
        for (byte[] part : new byte[][] {head, task, {','}, calls}) {
            System.arraycopy(part, 0, frame, at, part.length);
            at += part.length;
        }
        frame[at] = '}';
        return frame;
    }

    /** The frame that tells a worker to finish. */
    public static byte[] stop() {
        return STOP.clone();
    }

    /** What a worker said about a job: its results, decoded, or its failure. */
    public record Outcome(long id, List<?> results, Failure failure) {}

    /**
     * Reads a worker's answer, decoding the results as {@code results} (from
     * {@link #resultsReader(Type)}) says.
     *
     * @throws IOException if the frame is not an answer, or a result is not of its type
     */
    public static Outcome readOutcome(byte[] frame, Results results) throws IOException {
        Outcome outcome = readOutcome(frame, results, true);
        return outcome != null ? outcome : readOutcome(frame, results, false);
    }

    /** Reads an answer; {@code plain}: its results with {@link PlainCalls}, null if they need the mapper. */
    static Outcome readOutcome(byte[] frame, Results results, boolean plain) throws IOException {
        try (JsonParser json = JsonStreams.parser(frame)) {
            expect(json, JsonToken.START_OBJECT);
            long id = readId(json);
            String field = json.nextName();
            Outcome outcome;
            if ("results".equals(field)) {
                List<Object> scanned = scanLastProperty(json, frame, results.integers);
                if (scanned != null) {
                    return new Outcome(id, scanned, null);
                }
                if (plain) {
                    List<Object> values = plainResults(json, results.resultType);
                    return values == null ? null : new Outcome(id, values, null);
                }
                json.nextToken();
                outcome = new Outcome(id, results.list().readValue(json), null);
            } else if ("failure".equals(field)) {
                json.nextToken();
                outcome = new Outcome(id, null, Readers.FAILURE.readValue(json));
            } else {
                throw new JsonFormatError("expected \"results\" or \"failure\", found " + field);
            }
            expect(json, JsonToken.END_OBJECT);
            return outcome;
        } catch (JacksonException e) {
            throw Json.failure(e, "a worker's answer");
        }
    }

    // ------------------------------------------------------------------ the worker's side

    /**
     * A job as a worker reads it: a stop order, or a task with its decoded captured values and
     * calls, or (for a task this JVM cannot resolve, or arguments not of its parameters' shape)
     * why it cannot be run.
     */
    record Job(boolean stop, long id, Invocation task, Object[] captured, List<Object[]> calls, Exception unreadable) {}

    /**
     * Reads an order; resolves its task before its calls, whose arguments decode into its
     * parameter types.
     *
     * @throws IOException if the frame is not an order at all
     */
    static Job readJob(byte[] frame, Invocation.Cache tasks) throws IOException {
        Job job = readJob(frame, tasks, true);
        return job != null ? job : readJob(frame, tasks, false);
    }

    /** Reads an order; {@code plain}: its calls with {@link PlainCalls}, null if they need the mapper. */
    static Job readJob(byte[] frame, Invocation.Cache tasks, boolean plain) throws IOException {
        try (JsonParser json = JsonStreams.parser(frame)) {
            expect(json, JsonToken.START_OBJECT);
            String first = json.nextName();
            if ("stop".equals(first)) {
                return new Job(true, 0, null, null, null, null);
            }
            if (!"id".equals(first) || json.nextToken() != JsonToken.VALUE_NUMBER_INT) {
                throw new JsonFormatError("expected \"id\" or \"stop\", found " + first);
            }
            long id = json.getLongValue();
            try {
                expectName(json, "task");
                json.nextToken();
                Invocation task = tasks.resolve(readTask(json));
                String field = json.nextName();
                boolean single = "args".equals(field);
                if (!single && !"calls".equals(field)) {
                    throw new JsonFormatError("expected \"calls\" or \"args\", found " + field);
                }
                if (single && task.arity() != 1) {
                    throw new IllegalArgumentException("task " + task.ref().describe() + " takes " + task.arity()
                            + " arguments; a job's \"args\" give each call one");
                }
                List<Object> scanned = single ? scanLastProperty(json, frame, IntegerArrays.Kind.of(task.firstArgumentType())) : null;
                if (scanned != null) {
                    return new Job(false, id, task, task.decodeCaptures(), oneArgumentEach(scanned), null);
                }
                if (plain) {
                    List<Object[]> calls = plainCalls(json, task, single);
                    return calls == null ? null : new Job(false, id, task, task.decodeCaptures(), calls, null);
                }
                json.nextToken();
                Calls calls = Readers.CALLS.withAttribute(Calls.TYPES, task.argumentTypes()).withAttribute(Calls.SINGLE, single)
                        .readValue(json);
                expect(json, JsonToken.END_OBJECT);
                return new Job(false, id, task, task.decodeCaptures(), calls.list(), null);
            } catch (JacksonException e) {
                return new Job(false, id, null, null, null, Json.failure(e, "the arguments of job " + id));
            } catch (IOException | RuntimeException e) {
                return new Job(false, id, null, null, null, e);
            }
        } catch (JacksonException e) {
            throw Json.failure(e, "an order from the pool");
        }
    }

    /** One call per value, of that value alone (a plain loop: a new JVM runs a stream's many frames interpreted). */
    private static List<Object[]> oneArgumentEach(List<Object> values) {
        List<Object[]> calls = new ArrayList<>(values.size());
        for (Object value : values) {
            calls.add(new Object[] {value});
        }
        return Collections.unmodifiableList(calls);
    }

    /** The results, the frame's last field, by {@link PlainCalls}; null if the mapper must read them. */
    private static List<Object> plainResults(JsonParser json, Type resultType) {
        try {
            List<Object[]> values = PlainCalls.read(json, new Type[] {resultType == void.class ? Object.class : resultType}, true);
            if (values == null || json.nextToken() != JsonToken.END_OBJECT) {
                return null;
            }
            List<Object> results = new ArrayList<>(values.size());
            for (Object[] value : values) {
                results.add(value[0]);
            }
            return results;
        } catch (JacksonException malformed) {
            return null; // the mapper's pass says what is wrong, in its words
        }
    }

    /** The job's calls, the frame's last field, by {@link PlainCalls}; null if the mapper must read the job. */
    private static List<Object[]> plainCalls(JsonParser json, Invocation task, boolean single) {
        try {
            List<Object[]> calls = PlainCalls.read(json, task.argumentValueTypes(), single);
            return calls != null && json.nextToken() == JsonToken.END_OBJECT ? calls : null;
        } catch (JacksonException malformed) {
            return null; // the mapper's pass says what is wrong, in its words
        }
    }

    /**
     * The answer for a job whose calls all returned.
     *
     * @throws IllegalArgumentException if a result cannot be written as JSON, saying why
     */
    static byte[] results(long id, List<Object> results) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 + results.size() * 8);
        if (IntegerArrays.allIntegers(results)) {
            out.writeBytes(("{\"id\":" + id + ",\"results\":").getBytes(StandardCharsets.US_ASCII));
            IntegerArrays.write(results, out);
            out.write('}');
            return out.toByteArray();
        }
        Object current = null;
        try (JsonGenerator json = JsonStreams.generator(out, JsonStreams.allScalars(results))) {
            json.writeStartObject();
            json.writeNumberProperty("id", id);
            json.writeArrayPropertyStart("results");
            for (Object result : results) {
                current = result;
                JsonStreams.writeValue(json, result);
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (JacksonException e) {
            throw Json.encodingFailure(current, e);
        }
        return out.toByteArray();
    }

    /** The answer for a job one of whose calls threw. */
    public static byte[] failure(long id, Failure failure) {
        return Json.mapper().writeValueAsBytes(new FailureFrame(id, failure));
    }

    private record FailureFrame(long id, Failure failure) {}

    /**
     * A job's argument lists, each decoded into the parameter types given as the reader's
     * {@link #TYPES} attribute, in one pass; or, with the {@link #SINGLE} attribute true, its
     * arguments, one per call.
     */
    @JsonDeserialize(using = CallsDeserializer.class)
    record Calls(List<Object[]> list) {
        static final String TYPES = "pyloom.argumentTypes";
        static final String SINGLE = "pyloom.singleArguments";
    }

    static final class CallsDeserializer extends StdDeserializer<Calls> {

        CallsDeserializer() {
            super(Calls.class);
        }

        @Override
        public Calls deserialize(JsonParser json, DeserializationContext context) {
            JavaType[] types = (JavaType[]) context.getAttribute(Calls.TYPES);
            List<ValueDeserializer<Object>> readers = new ArrayList<>(types.length);
            for (JavaType type : types) {
                readers.add(context.findRootValueDeserializer(type));
            }
            if (!json.isExpectedStartArrayToken()) {
                return context.reportInputMismatch(this, "a job's calls must be an array");
            }
            List<Object[]> calls = new ArrayList<>();
            if (Boolean.TRUE.equals(context.getAttribute(Calls.SINGLE))) {
                ValueDeserializer<Object> reader = readers.get(0);
                for (JsonToken token = json.nextToken(); token != JsonToken.END_ARRAY; token = json.nextToken()) {
                    calls.add(new Object[] {token == JsonToken.VALUE_NULL ? reader.getNullValue(context) : reader.deserialize(json, context)});
                }
                return new Calls(Collections.unmodifiableList(calls));
            }
            while (json.nextToken() == JsonToken.START_ARRAY) {
                Object[] arguments = new Object[types.length];
                for (int i = 0; i < types.length; i++) {
                    JsonToken token = json.nextToken();
                    if (token == JsonToken.END_ARRAY) {
                        return context.reportInputMismatch(this, "a call with " + i + " arguments for a task that takes "
                                + types.length);
                    }
                    arguments[i] = token == JsonToken.VALUE_NULL
                            ? readers.get(i).getNullValue(context) : readers.get(i).deserialize(json, context);
                }
                if (json.nextToken() != JsonToken.END_ARRAY) {
                    return context.reportInputMismatch(this, "a call with more arguments than the task's " + types.length);
                }
                calls.add(arguments);
            }
            if (!json.hasToken(JsonToken.END_ARRAY)) {
                return context.reportInputMismatch(this, "a job's calls must be argument arrays");
            }
            return new Calls(Collections.unmodifiableList(calls));
        }
    }

    /**
     * A task, read field by field; its captured values (if any) by the mapper, as trees.
     *
     * @throws JsonFormatError if it is not a task's object
     */
    private static TaskRef readTask(JsonParser json) {
        if (!json.hasToken(JsonToken.START_OBJECT)) {
            throw new JsonFormatError("expected a task object, found " + json.currentToken());
        }
        String className = null;
        String method = null;
        String descriptor = null;
        Integer kind = null;
        List<JsonNode> captured = List.of();
        for (String field = json.nextName(); field != null; field = json.nextName()) {
            JsonToken value = json.nextToken();
            switch (field) {
                case "className" -> className = text(json, value, field);
                case "method" -> method = text(json, value, field);
                case "descriptor" -> descriptor = text(json, value, field);
                case "kind" -> {
                    if (value != JsonToken.VALUE_NUMBER_INT) {
                        throw new JsonFormatError("a task's \"kind\" must be an integer, found " + value);
                    }
                    kind = json.getIntValue();
                }
                case "captured" -> {
                    if (value != JsonToken.START_ARRAY) {
                        throw new JsonFormatError("a task's \"captured\" must be an array, found " + value);
                    }
                    List<JsonNode> values = new ArrayList<>();
                    while (json.nextToken() != JsonToken.END_ARRAY) {
                        values.add(Readers.NODE.readValue(json));
                    }
                    captured = values;
                }
                default -> throw new JsonFormatError("a task has no field \"" + field + "\"");
            }
        }
        if (className == null || method == null || descriptor == null || kind == null) {
            throw new JsonFormatError("a task needs \"className\", \"method\", \"descriptor\" and \"kind\"");
        }
        return new TaskRef(className, method, descriptor, kind, captured);
    }

    private static String text(JsonParser json, JsonToken value, String field) {
        if (value != JsonToken.VALUE_STRING) {
            throw new JsonFormatError("a task's \"" + field + "\" must be a string, found " + value);
        }
        return json.getString();
    }

    // ------------------------------------------------------------------ parsing help

    private static ObjectReader reader(JavaType type) {
        return Json.mapper().readerFor(type).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** How a job's results are read: as a {@code List} of the task's result type. */
    public static final class Results {
        private final Type resultType;
        private final IntegerArrays.Kind integers; // for IntegerArrays; null if the results are not integers
        private volatile ObjectReader list;        // built when results are not integers

        private Results(Type resultType, IntegerArrays.Kind integers) {
            this.resultType = resultType;
            this.integers = integers;
        }

        ObjectReader list() {
            ObjectReader reader = list;
            if (reader == null) {
                JavaType element = Json.mapper().constructType(resultType == void.class ? Object.class : resultType);
                list = reader = reader(Json.mapper().getTypeFactory().constructCollectionType(ArrayList.class, element));
            }
            return reader;
        }
    }

    /**
     * How the results of a task returning {@code resultType} are read ({@code Object} for a
     * task that returns nothing, whose results are all null).
     */
    public static Results resultsReader(Type resultType) {
        return new Results(resultType, IntegerArrays.Kind.of(resultType));
    }

    /**
     * The frame's last property, the one {@code json} has just read the name of, as integers of
     * {@code kind} scanned straight from the bytes; null if it is not such an array followed by
     * the frame's end (or {@code kind} is null), in which case {@code json} reads it as before.
     */
    static List<Object> scanLastProperty(JsonParser json, byte[] frame, IntegerArrays.Kind kind) {
        if (kind == null) {
            return null;
        }
        long name = json.currentTokenLocation().getByteOffset(); // the name's opening quote
        String property = json.currentName();
        int value = (int) name + property.length() + 3;           // past "name":
        if (name < 0 || value >= frame.length || frame[value - 1] != ':') {
            return null;
        }
        IntegerArrays.Scan scan = IntegerArrays.scan(frame, value, kind);
        return scan != null && scan.end() == frame.length - 1 && frame[scan.end()] == '}' ? scan.values() : null;
    }

    private static long readId(JsonParser json) {
        expectName(json, "id");
        json.nextToken();
        return json.getLongValue();
    }

    private static void expectName(JsonParser json, String name) {
        String found = json.nextName();
        if (!name.equals(found)) {
            throw new JsonFormatError("expected \"" + name + "\", found " + found);
        }
    }

    private static void expect(JsonParser json, JsonToken token) {
        JsonToken found = json.nextToken();
        if (found != token) {
            throw new JsonFormatError("expected " + token + ", found " + found);
        }
    }

    /** A frame that is JSON but not of the protocol's shape. */
    private static final class JsonFormatError extends tools.jackson.core.exc.StreamReadException {
        private static final long serialVersionUID = 1L;

        JsonFormatError(String message) {
            super(null, message);
        }
    }
}
