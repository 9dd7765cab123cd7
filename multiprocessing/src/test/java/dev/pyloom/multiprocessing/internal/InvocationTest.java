package dev.pyloom.multiprocessing.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyloom.ipc.MalformedMessageException;
import java.lang.invoke.MethodHandleInfo;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Resolving a task on either side, and what a worker makes of a job it cannot run: the failures
 * that reach a task only through a different class path or a hand-made frame.
 */
class InvocationTest {

    static int add(int a, int b) {
        return a + b;
    }

    private static TaskRef ref(String className, String method, String descriptor) {
        return new TaskRef(className, method, descriptor, MethodHandleInfo.REF_invokeStatic, List.of());
    }

    private static final ClassLoader LOADER = InvocationTest.class.getClassLoader();

    @Test
    void anUnknownClassOrMethodIsNamed() {
        IllegalArgumentException noClass = assertThrows(IllegalArgumentException.class,
                () -> Invocation.resolve(ref("com.example.Missing", "work", "()V"), LOADER));
        assertTrue(noClass.getMessage().contains("no class com.example.Missing"), noClass.getMessage());
        IllegalArgumentException noMethod = assertThrows(IllegalArgumentException.class,
                () -> Invocation.resolve(ref(InvocationTest.class.getName(), "add", "(J)J"), LOADER));
        assertTrue(noMethod.getMessage().contains("no method add(J)J"), noMethod.getMessage());
    }

    @Test
    void aWrongNumberOfArgumentsIsNamed() {
        Invocation add = Invocation.resolve(ref(InvocationTest.class.getName(), "add", "(II)I"), LOADER);
        add.requireArity(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> add.requireArity(3));
        assertEquals("task InvocationTest::add takes 2 arguments, given 3", e.getMessage());
    }

    @Test
    void aJobWhoseTaskCannotBeResolvedIsReadAsUnreadableNotAsAProtocolError() throws Exception {
        byte[] task = Wire.encodeTask(ref(InvocationTest.class.getName(), "gone", "()V"));
        Wire.Job job = Wire.readJob(Wire.job(7, task, "\"calls\":[[]]".getBytes(StandardCharsets.US_ASCII)), new Invocation.Cache(LOADER));
        assertEquals(7, job.id());
        assertInstanceOf(IllegalArgumentException.class, job.unreadable());
    }

    @Test
    void aJobWhoseArgumentsDoNotFitIsReadAsUnreadable() throws Exception {
        byte[] task = Wire.encodeTask(ref(InvocationTest.class.getName(), "add", "(II)I"));
        Invocation.Cache cache = new Invocation.Cache(LOADER);
        Wire.Job wrongType = Wire.readJob(Wire.job(1, task, "\"calls\":[[1,\"two\"]]".getBytes(StandardCharsets.US_ASCII)), cache);
        assertInstanceOf(MalformedMessageException.class, wrongType.unreadable());
        Wire.Job tooFew = Wire.readJob(Wire.job(2, task, "\"calls\":[[1]]".getBytes(StandardCharsets.US_ASCII)), cache);
        assertTrue(tooFew.unreadable().getMessage().contains("1 arguments for a task that takes 2"), tooFew.unreadable().getMessage());
        Wire.Job fine = Wire.readJob(Wire.job(3, task, Wire.encodeCalls(List.of(List.of(1, 2), List.of(3, 4)), false)), cache);
        assertNull(fine.unreadable());
        assertEquals(2, fine.calls().size());
        assertArrayEquals(new Object[] {3, 4}, fine.calls().get(1));
    }

    @Test
    void aFrameThatIsNotAnOrderIsAProtocolError() {
        assertThrows(MalformedMessageException.class,
                () -> Wire.readJob("{\"hello\":1}".getBytes(StandardCharsets.US_ASCII), new Invocation.Cache(LOADER)));
        assertThrows(MalformedMessageException.class,
                () -> Wire.readJob("not json".getBytes(StandardCharsets.US_ASCII), new Invocation.Cache(LOADER)));
    }

    @Test
    void anAnswerRoundTrips() throws Exception {
        byte[] frame = Wire.results(9, List.of(1, 2, 3));
        Wire.Outcome outcome = Wire.readOutcome(frame, Wire.resultsReader(Integer.class));
        assertEquals(new Wire.Outcome(9, List.of(1, 2, 3), null), outcome);
        Wire.Outcome failed = Wire.readOutcome(Wire.failure(4, Failure.of(new IllegalStateException("no"))),
                Wire.resultsReader(Integer.class));
        assertEquals("java.lang.IllegalStateException", failed.failure().type());
        assertEquals("no", failed.failure().message());
    }
}
