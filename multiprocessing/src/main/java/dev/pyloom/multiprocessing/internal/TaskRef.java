package dev.pyloom.multiprocessing.internal;

import dev.pyloom.ipc.Json;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;

/**
 * What a task is on the wire: the method a lambda or method reference stands for (class, name,
 * JVM descriptor, and how it is invoked) and the values the lambda captured, as JSON. Never
 * code, and never a class the worker is asked to instantiate, except the exception types of
 * failures (see {@link Failure}).
 *
 * @param className  the binary name of the class declaring the method
 * @param method     the method's name ({@code <init>} for a constructor reference)
 * @param descriptor the method's JVM descriptor, e.g. {@code (I)I}
 * @param kind       how the method is invoked, a {@link MethodHandleInfo} reference kind
 * @param captured   the lambda's captured values
 */
public record TaskRef(String className, String method, String descriptor, int kind, List<JsonNode> captured) {

    /**
     * Describes {@code task}, a lambda or method reference of one of the {@code Task} interfaces.
     *
     * @throws IllegalArgumentException if it is not a lambda or method reference, or captures a
     *                                  value that cannot be encoded as JSON (naming the value)
     */
    public static TaskRef of(Object task) {
        if (task == null) {
            throw new NullPointerException("task");
        }
        AtomicReference<TaskRef> known = CONSTANT.get(task.getClass());
        TaskRef ref = known.get();
        if (ref == null) {
            ref = fromSerializedForm(task);
            if (ref.captured().isEmpty()) {
                known.set(ref);
            }
        }
        return ref;
    }

    /*
     * A lambda or method reference that captures nothing is the same task every time: its class
     * says it all, and asking the JDK for its serialized form (reflection, a new object) is
     * done once per class.
     */
    private static final ClassValue<AtomicReference<TaskRef>> CONSTANT = new ClassValue<>() {
        @Override
        protected AtomicReference<TaskRef> computeValue(Class<?> type) {
            return new AtomicReference<>();
        }
    };

    private static TaskRef fromSerializedForm(Object task) {
        SerializedLambda lambda = serializedForm(task);
        String className = lambda.getImplClass().replace('/', '.');
        List<JsonNode> captured = new ArrayList<>(lambda.getCapturedArgCount());
        for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
            Object value = lambda.getCapturedArg(i);
            try {
                captured.add(Json.toTree(value));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the task " + simpleName(className) + "::" + lambda.getImplMethodName()
                        + " captures a value that cannot be sent to another process: captured value #" + i + ", "
                        + describe(value) + ". Capture only JSON-encodable values (records, strings, numbers,"
                        + " collections), or pass the value as an argument. (" + e.getMessage() + ")", e);
            }
        }
        return new TaskRef(className, lambda.getImplMethodName(), lambda.getImplMethodSignature(),
                lambda.getImplMethodKind(), captured);
    }

    private static SerializedLambda serializedForm(Object task) {
        Method writeReplace;
        try {
            writeReplace = task.getClass().getDeclaredMethod("writeReplace");
        } catch (NoSuchMethodException notALambda) {
            throw new IllegalArgumentException("a task must be a lambda or a method reference (like Demo::work),"
                    + " not an instance of " + task.getClass().getName());
        }
        if (!writeReplace.trySetAccessible()) {
            return throughSerialization(task);
        }
        try {
            if (writeReplace.invoke(task) instanceof SerializedLambda lambda) {
                return lambda;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("cannot tell which method the task " + task + " refers to: " + e, e);
        }
        throw new IllegalArgumentException("a task must be a lambda or a method reference (like Demo::work),"
                + " not an instance of " + task.getClass().getName());
    }

    /*
     * A lambda of a module that does not open its package to pyloom (Surefire opens a modular
     * project's test packages to the unnamed module only): Java serialization, which may call
     * any class's writeReplace, hands its replacement to replaceObject before writing anything,
     * and is given nothing to write.
     */
    private static SerializedLambda throughSerialization(Object task) {
        final class Capture extends ObjectOutputStream {
            SerializedLambda found;

            Capture() throws IOException {
                super(OutputStream.nullOutputStream());
                enableReplaceObject(true);
            }

            @Override
            protected Object replaceObject(Object replaced) {
                if (replaced instanceof SerializedLambda lambda && found == null) {
                    found = lambda;
                    return null;
                }
                return replaced;
            }
        }
        try (Capture capture = new Capture()) {
            capture.writeObject(task);
            if (capture.found != null) {
                return capture.found;
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot tell which method the task " + task + " refers to: " + e, e);
        }
        throw new IllegalArgumentException("a task must be a lambda or a method reference (like Demo::work),"
                + " not an instance of " + task.getClass().getName());
    }

    /** {@code Demo::square}, for messages. */
    public String describe() {
        return simpleName(className) + "::" + method;
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    private static String describe(Object value) {
        return value == null ? "null" : "a " + value.getClass().getName();
    }
}
