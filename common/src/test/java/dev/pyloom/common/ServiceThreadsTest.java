package dev.pyloom.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * pyloom's threads live in pyloom's group, under the JVM's top group, whichever thread starts
 * them: a launcher that interrupts the program's group ({@code mvn exec:java}) never reaches them.
 */
class ServiceThreadsTest {

    @Test
    void aServiceThreadStartedFromAProgramsGroupLivesInPyloomsGroupUnderTheTop() throws Exception {
        ThreadGroup program = new ThreadGroup("program");
        AtomicReference<Thread> started = new AtomicReference<>();
        Thread main = new Thread(program, () -> started.set(ServiceThreads.daemon("pyloom-test").unstarted(() -> {})),
                "program-main");
        main.start();
        main.join();

        Thread thread = started.get();
        ThreadGroup group = thread.getThreadGroup();
        assertEquals("pyloom", group.getName());
        assertNull(group.getParent().getParent(), "pyloom's group sits right under the JVM's top group");
        assertFalse(program.parentOf(group));
        assertTrue(thread.isDaemon());
        assertFalse(thread.isVirtual());
        assertEquals("pyloom-test", thread.getName());
    }
}
