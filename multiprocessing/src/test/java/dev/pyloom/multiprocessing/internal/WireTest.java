package dev.pyloom.multiprocessing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.ipc.Json;
import dev.pyloom.ipc.MalformedMessageException;
import java.lang.invoke.MethodHandleInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonParser;

/**
 * The frames between a pool and its workers: a map's flat arguments, and the integer fast path
 * on both sides, which must decode exactly what Jackson would and give way to it on anything
 * else.
 */
class WireTest {

    static int twice(int x) {
        return 2 * x;
    }

    static long longer(long x) {
        return x;
    }

    static String shout(String text) {
        return text.toUpperCase();
    }

    static int add(int a, int b) {
        return a + b;
    }

    static String plainParameters(String text, int n, long l, boolean b, double d, Integer boxedInt, Long boxedLong,
            Boolean boxedBoolean, Double boxedDouble, Object any) {
        return text;
    }

    static Object anything(Object any) {
        return any;
    }

    static double half(double x) {
        return x / 2;
    }

    private static byte[] task(String method, String descriptor) {
        return Wire.encodeTask(new TaskRef(WireTest.class.getName(), method, descriptor, MethodHandleInfo.REF_invokeStatic,
                List.of()));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static IntegerArrays.Scan scan(String array, IntegerArrays.Kind kind) {
        return IntegerArrays.scan(ascii(array), 0, kind);
    }

    @Test
    void theScanReadsArraysOfIntegersAsWrittenWithoutWhitespace() {
        assertEquals(List.of(), scan("[]", IntegerArrays.Kind.INT).values());
        IntegerArrays.Scan some = scan("[0,16,-3,-0]", IntegerArrays.Kind.INT);
        assertEquals(List.of(0, 16, -3, 0), some.values());
        assertEquals(12, some.end());
        assertEquals(List.of(Integer.MAX_VALUE, Integer.MIN_VALUE), scan("[2147483647,-2147483648]", IntegerArrays.Kind.INT).values());
        assertEquals(List.of(2147483648L, -999999999999999999L), scan("[2147483648,-999999999999999999]", IntegerArrays.Kind.LONG).values());
    }

    @Test
    void theScanGivesUpOnAnythingElse() {
        for (String notMine : List.of("", "1", "[", "[1", "[1,", "[1,]", "[,1]", "[-]", "[01]", "[-01]", "[1.5]", "[1e3]",
                "[ 1]", "[1 ]", "[\"1\"]", "[null]", "[true]", "[[1]]", "[2147483648]", "[-2147483649]")) {
            assertNull(IntegerArrays.scan(ascii(notMine), 0, IntegerArrays.Kind.INT), notMine);
        }
        // longs beyond 18 digits are Jackson's to read (or to refuse)
        assertNull(scan("[1000000000000000000]", IntegerArrays.Kind.LONG));
    }

    @Test
    void whateverTheScanAcceptsJacksonReadsTheSame() throws Exception {
        Random random = new Random(20261124);
        String alphabet = "0123456789-,[] .e+\"n";
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder("[");
            if (i % 2 == 0) { // well-formed arrays of numbers of every size, as a writer makes them
                int n = random.nextInt(6);
                for (int k = 0; k < n; k++) {
                    text.append(k == 0 ? "" : ",").append(switch (random.nextInt(4)) {
                        case 0 -> random.nextInt(100);
                        case 1 -> random.nextInt();
                        case 2 -> random.nextLong();
                        default -> random.nextLong() >> random.nextInt(64);
                    });
                }
                text.append(']');
            } else { // anything at all from JSON's characters
                for (int k = random.nextInt(12); k > 0; k--) {
                    text.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            byte[] bytes = ascii(text.toString());
            for (IntegerArrays.Kind kind : IntegerArrays.Kind.values()) {
                IntegerArrays.Scan scan = IntegerArrays.scan(bytes, 0, kind);
                if (scan == null) {
                    continue;
                }
                accepted++;
                Class<?> element = kind == IntegerArrays.Kind.INT ? Integer.class : Long.class;
                List<?> jackson = Json.mapper().readValue(Arrays.copyOf(bytes, scan.end()),
                        Json.mapper().getTypeFactory().constructCollectionType(List.class, element));
                assertEquals(jackson, scan.values(), text.toString());
            }
        }
        assertTrue(accepted > 10_000, accepted + " arrays accepted");
    }

    @Test
    void integersAreWrittenAsJacksonWritesThem() throws Exception {
        Random random = new Random(20261206);
        for (int i = 0; i < 2_000; i++) {
            List<Object> values = new ArrayList<>();
            for (int n = random.nextInt(8); n > 0; n--) {
                values.add(switch (random.nextInt(6)) {
                    case 0 -> random.nextInt(20) - 10;
                    case 1 -> random.nextInt();
                    case 2 -> random.nextLong();
                    case 3 -> random.nextBoolean() ? Integer.MIN_VALUE : Integer.MAX_VALUE;
                    case 4 -> random.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE;
                    default -> random.nextLong() >> random.nextInt(64);
                });
            }
            assertTrue(IntegerArrays.allIntegers(values));
            String jackson = new String(Json.mapper().writeValueAsBytes(values), StandardCharsets.US_ASCII);
            assertEquals("\"args\":" + jackson, new String(Wire.encodeCalls(values, true), StandardCharsets.US_ASCII));
            List<List<Object>> calls = List.of(values, values.subList(0, values.size() / 2), List.of());
            assertEquals("\"calls\":" + new String(Json.mapper().writeValueAsBytes(calls), StandardCharsets.US_ASCII),
                    new String(Wire.encodeCalls(calls, false), StandardCharsets.US_ASCII));
            java.util.Map<String, Object> answer = new java.util.LinkedHashMap<>();
            answer.put("id", (long) i);
            answer.put("results", values);
            assertEquals(new String(Json.mapper().writeValueAsBytes(answer), StandardCharsets.US_ASCII),
                    new String(Wire.results(i, values), StandardCharsets.US_ASCII));
        }
        assertTrue(!IntegerArrays.allIntegers(Arrays.asList(1, null, 3)));
        assertTrue(!IntegerArrays.allIntegers(List.of(1, 2.0)));
    }

    @Test
    void theScanStartsAtTheNameOfTheFramesLastProperty() throws Exception {
        byte[] frame = Wire.results(5, List.of(1, 2));
        try (JsonParser json = Json.mapper().createParser(frame)) {
            json.nextToken();
            json.nextName();
            json.nextToken();
            assertEquals("results", json.nextName());
            assertEquals(List.of(1, 2), Wire.scanLastProperty(json, frame, IntegerArrays.Kind.INT));
        }
        // A job whose task holds text that looks like the property: the scan starts at the real one.
        byte[] task = Wire.encodeTask(new TaskRef(WireTest.class.getName(), "twice", "(I)I", MethodHandleInfo.REF_invokeStatic,
                List.of(Json.toTree("\"args\":[9,9]"))));
        byte[] job = Wire.job(3, task, Wire.encodeCalls(List.of(4, 5), true));
        try (JsonParser json = Json.mapper().createParser(job)) {
            json.nextToken();
            json.nextName();
            json.nextToken();
            json.nextName();
            json.nextToken();
            json.skipChildren();
            assertEquals("args", json.nextName());
            assertEquals(List.of(4, 5), Wire.scanLastProperty(json, job, IntegerArrays.Kind.INT));
        }
    }

    @Test
    void integerResultsComeBackWhicheverWayTheyAreRead() throws Exception {
        List<Object> values = new ArrayList<>(List.of(0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 42));
        assertEquals(values, Wire.readOutcome(Wire.results(1, values), Wire.resultsReader(Integer.class)).results());
        assertEquals(values, Wire.readOutcome(Wire.results(1, values), Wire.resultsReader(int.class)).results());
        // the same numbers, spaced out: not the fast path's, Jackson's
        byte[] spaced = ascii("{ \"id\" : 1 , \"results\" : [ 0 , -1 , 2147483647 , -2147483648 , 42 ] }");
        assertEquals(values, Wire.readOutcome(spaced, Wire.resultsReader(Integer.class)).results());
        List<Object> longs = List.of(5_000_000_000L, -1L, Long.MAX_VALUE, Long.MIN_VALUE);
        assertEquals(longs, Wire.readOutcome(Wire.results(2, longs), Wire.resultsReader(Long.class)).results());
        List<Object> nulls = Arrays.asList(1, null, 3);
        assertEquals(nulls, Wire.readOutcome(Wire.results(3, nulls), Wire.resultsReader(Integer.class)).results());
    }

    @Test
    void anIntegerResultOutOfItsTypesRangeIsStillAnError() {
        byte[] tooBig = Wire.results(1, List.of(1, 5_000_000_000L));
        MalformedMessageException e = assertThrows(MalformedMessageException.class,
                () -> Wire.readOutcome(tooBig, Wire.resultsReader(Integer.class)));
        assertTrue(e.getMessage().contains("5000000000"), e.getMessage());
    }

    @Test
    void aMapsChunkTravelsAsOneFlatArrayOfArguments() throws Exception {
        byte[] calls = Wire.encodeCalls(List.of(3, -4, 5), true);
        assertEquals("\"args\":[3,-4,5]", new String(calls, StandardCharsets.US_ASCII));
        Invocation.Cache cache = new Invocation.Cache(WireTest.class.getClassLoader());
        Wire.Job ints = Wire.readJob(Wire.job(8, task("twice", "(I)I"), calls), cache);
        assertNull(ints.unreadable());
        assertEquals(List.of(List.of(3), List.of(-4), List.of(5)), ints.calls().stream().map(Arrays::asList).toList());
        Wire.Job longs = Wire.readJob(Wire.job(9, task("longer", "(J)J"), calls), cache);
        assertEquals(List.of(List.of(3L), List.of(-4L), List.of(5L)), longs.calls().stream().map(Arrays::asList).toList());
        Wire.Job strings = Wire.readJob(Wire.job(10, task("shout", "(Ljava/lang/String;)Ljava/lang/String;"),
                Wire.encodeCalls(Arrays.asList("a", null, "c"), true)), cache);
        assertNull(strings.unreadable());
        assertEquals(Arrays.asList(List.of("a"), Arrays.asList((Object) null), List.of("c")),
                strings.calls().stream().map(Arrays::asList).toList());
    }

    /** A random JSON value of the kinds a call's arguments can hold, and some they cannot. */
    private static String randomValue(Random random) {
        return switch (random.nextInt(16)) {
            case 0 -> "null";
            case 1 -> "true";
            case 2 -> "false";
            case 3 -> Integer.toString(random.nextInt(200) - 100);
            case 4 -> Integer.toString(random.nextInt());
            case 5 -> Long.toString(random.nextLong());
            case 6 -> "123456789012345678901234567890";
            case 7 -> Double.toString(random.nextDouble() * 1000 - 500);
            case 8 -> "1e3";
            case 9 -> "-0.0";
            case 10 -> "\"text " + random.nextInt(10) + "\"";
            case 11 -> "\"12\"";
            case 12 -> "\"true\"";
            case 13 -> "[1,2]";
            case 14 -> "{\"a\":1}";
            default -> "\"\\u00e9\\n\"";
        };
    }

    /**
     * Whatever the streaming path reads without the mapper, the mapper reads as the same values of
     * the same classes; the rest (coercions, nulls for primitives, wrong shapes) is left to it.
     */
    @Test
    void whateverThePlainPathReadsTheMapperReadsTheSame() throws Exception {
        Invocation.Cache cache = new Invocation.Cache(WireTest.class.getClassLoader());
        byte[][] tasks = {
            task("plainParameters", "(Ljava/lang/String;IJZDLjava/lang/Integer;Ljava/lang/Long;Ljava/lang/Boolean;"
                    + "Ljava/lang/Double;Ljava/lang/Object;)Ljava/lang/String;"),
            task("anything", "(Ljava/lang/Object;)Ljava/lang/Object;"),
            task("half", "(D)D"),
            task("twice", "(I)I"),
            task("shout", "(Ljava/lang/String;)Ljava/lang/String;"),
        };
        int[] arity = {10, 1, 1, 1, 1};
        Random random = new Random(20261204);
        int plain = 0;
        int mapper = 0;
        for (int i = 0; i < 20_000; i++) {
            int t = random.nextInt(tasks.length);
            boolean single = arity[t] == 1 && random.nextBoolean();
            StringBuilder calls = new StringBuilder(single ? "\"args\":[" : "\"calls\":[");
            for (int c = random.nextInt(4); c > 0; c--) {
                if (!single) {
                    calls.append('[');
                }
                int n = random.nextInt(20) == 0 ? arity[t] + random.nextInt(3) - 1 : arity[t];
                for (int k = 0; k < n; k++) {
                    // mostly values of the parameter's own kind, so that whole calls get through
                    calls.append(k == 0 ? "" : ",").append(randomValue(random));
                }
                calls.append(single ? "," : "],");
            }
            if (calls.charAt(calls.length() - 1) == ',') {
                calls.setLength(calls.length() - 1);
            }
            calls.append(']');
            byte[] frame = Wire.job(i, tasks[t], calls.toString().getBytes(StandardCharsets.UTF_8));
            Wire.Job fast = Wire.readJob(frame, cache, true);
            Wire.Job slow = Wire.readJob(frame, cache, false);
            if (fast == null) {
                mapper++;
                continue;
            }
            plain++;
            assertNull(slow.unreadable(), () -> "the plain path read what the mapper refuses: " + calls);
            assertEquals(slow.calls().size(), fast.calls().size(), calls::toString);
            for (int c = 0; c < slow.calls().size(); c++) {
                List<Object> expected = Arrays.asList(slow.calls().get(c));
                List<Object> actual = Arrays.asList(fast.calls().get(c));
                assertEquals(expected, actual, calls::toString);
                assertEquals(expected.stream().map(v -> v == null ? null : v.getClass()).toList(),
                        actual.stream().map(v -> v == null ? null : v.getClass()).toList(), calls::toString);
            }
        }
        assertTrue(plain > 2_000 && mapper > 2_000, plain + " jobs read plainly, " + mapper + " by the mapper");
    }

    /** The same for a worker's results, read in the pool: whatever the plain path reads, the mapper reads the same. */
    @Test
    void whateverThePlainPathReadsOfResultsTheMapperReadsTheSame() throws Exception {
        List<java.lang.reflect.Type> types = List.of(String.class, Integer.class, Long.class, long.class, Boolean.class,
                boolean.class, Double.class, double.class, Object.class, void.class);
        Random random = new Random(20261205);
        int plain = 0;
        int mapper = 0;
        for (int i = 0; i < 20_000; i++) {
            java.lang.reflect.Type type = types.get(random.nextInt(types.size()));
            StringBuilder results = new StringBuilder("{\"id\":" + i + ",\"results\":[");
            for (int c = random.nextInt(4); c > 0; c--) {
                results.append(randomValue(random)).append(c == 1 ? "" : ",");
            }
            results.append("]}");
            byte[] frame = results.toString().getBytes(StandardCharsets.UTF_8);
            Wire.Outcome fast = Wire.readOutcome(frame, Wire.resultsReader(type), true);
            if (fast == null) {
                mapper++;
                continue;
            }
            plain++;
            Wire.Outcome slow = Wire.readOutcome(frame, Wire.resultsReader(type), false);
            assertEquals(slow.results(), fast.results(), results::toString);
            assertEquals(slow.results().stream().map(v -> v == null ? null : v.getClass()).toList(),
                    fast.results().stream().map(v -> v == null ? null : v.getClass()).toList(), results::toString);
        }
        assertTrue(plain > 2_000 && mapper > 2_000, plain + " answers read plainly, " + mapper + " by the mapper");
    }

    @Test
    void doublesTravelAsTheMapperWritesThem() throws Exception {
        List<Double> values = List.of(0.5, -0.0, 1e300, Double.MIN_VALUE, Double.NaN, Double.POSITIVE_INFINITY);
        assertTrue(JsonStreams.allScalars(values));
        assertEquals(new String(Json.mapper().writeValueAsBytes(values), StandardCharsets.UTF_8),
                new String(Wire.encodeCalls(values, true), StandardCharsets.UTF_8).substring("\"args\":".length()));
        Invocation.Cache cache = new Invocation.Cache(WireTest.class.getClassLoader());
        Wire.Job job = Wire.readJob(Wire.job(1, task("half", "(D)D"), Wire.encodeCalls(values, true)), cache);
        assertNull(job.unreadable());
        assertEquals(values, job.calls().stream().map(call -> call[0]).toList());
        assertEquals(values, Wire.readOutcome(Wire.results(2, new ArrayList<>(values)), Wire.resultsReader(double.class)).results());
    }

    @Test
    void flatArgumentsThatDoNotFitTheTaskMakeTheJobUnreadable() throws Exception {
        Invocation.Cache cache = new Invocation.Cache(WireTest.class.getClassLoader());
        Wire.Job wrongType = Wire.readJob(Wire.job(1, task("twice", "(I)I"), Wire.encodeCalls(List.of(1, "two"), true)), cache);
        assertInstanceOf(MalformedMessageException.class, wrongType.unreadable());
        Wire.Job tooBig = Wire.readJob(Wire.job(2, task("twice", "(I)I"), Wire.encodeCalls(List.of(1, 5_000_000_000L), true)), cache);
        assertInstanceOf(MalformedMessageException.class, tooBig.unreadable());
        Wire.Job twoParameters = Wire.readJob(Wire.job(3, task("add", "(II)I"), Wire.encodeCalls(List.of(1, 2), true)), cache);
        assertNotNull(twoParameters.unreadable());
        assertTrue(twoParameters.unreadable().getMessage().contains("takes 2 arguments"), twoParameters.unreadable().getMessage());
    }
}
