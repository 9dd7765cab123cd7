package dev.pyloom.multiprocessing.internal;

import dev.pyloom.ipc.Json;
import java.io.IOException;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A {@link TaskRef} resolved to a method of this JVM: what the worker invokes, and what the
 * parent checks a task against when it is submitted (so that an unknown method or a wrong number
 * of arguments fails there, not in a worker). Both run the same class path.
 *
 * <p>The values a task is invoked with are its captured values followed by its arguments. For
 * an instance method the first of them is the receiver: an unbound reference like
 * {@code String::length} takes it as its first argument, a bound one like {@code text::charAt}
 * captured it.
 */
public final class Invocation {

    private final TaskRef ref;
    private final Executable executable;
    private final boolean hasReceiver;

    private Invocation(TaskRef ref, Executable executable, boolean hasReceiver) {
        this.ref = ref;
        this.executable = executable;
        this.hasReceiver = hasReceiver;
    }

    /**
     * Finds the method {@code ref} names.
     *
     * @throws IllegalArgumentException if the class or method does not exist here, saying which
     */
    public static Invocation resolve(TaskRef ref, ClassLoader loader) {
        Class<?> owner;
        try {
            owner = Class.forName(ref.className(), false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("task " + ref.describe() + ": no class " + ref.className()
                    + " on this class path", e);
        }
        Executable found = null;
        if (ref.kind() == MethodHandleInfo.REF_newInvokeSpecial) {
            for (Constructor<?> constructor : owner.getDeclaredConstructors()) {
                if (descriptor(void.class, constructor.getParameterTypes()).equals(ref.descriptor())) {
                    found = constructor;
                }
            }
        } else {
            for (Method method : owner.getDeclaredMethods()) {
                if (method.getName().equals(ref.method())
                        && descriptor(method.getReturnType(), method.getParameterTypes()).equals(ref.descriptor())) {
                    found = method;
                }
            }
        }
        if (found == null) {
            throw new IllegalArgumentException("task " + ref.describe() + ": no method " + ref.method() + ref.descriptor()
                    + " in " + ref.className());
        }
        found.setAccessible(true);
        boolean hasReceiver = found instanceof Method m && !Modifier.isStatic(m.getModifiers());
        return new Invocation(ref, found, hasReceiver);
    }

    private static String descriptor(Class<?> returnType, Class<?>[] parameterTypes) {
        return MethodType.methodType(returnType, parameterTypes).toMethodDescriptorString();
    }

    /** How many arguments the task takes after its captured values. */
    public int arity() {
        return executable.getParameterCount() + (hasReceiver ? 1 : 0) - ref.captured().size();
    }

    /**
     * Checks that the task takes {@code arguments} arguments.
     *
     * @throws IllegalArgumentException if not
     */
    public void requireArity(int arguments) {
        if (arity() != arguments) {
            throw new IllegalArgumentException("task " + ref.describe() + " takes " + arity() + " argument"
                    + (arity() == 1 ? "" : "s") + ", given " + arguments);
        }
    }

    /**
     * Checks that the values {@code task} captured come back, in the worker, as what the method
     * takes: JSON encodes some objects (a lock's getters, say) that cannot be decoded again, and
     * that should fail at submission, not in the worker.
     *
     * @throws IllegalArgumentException naming the captured value that would not arrive
     */
    public void requireCapturesDecode(TaskRef task) {
        List<JsonNode> captured = task.captured();
        Type[] parameterTypes = executable.getGenericParameterTypes();
        for (int i = 0; i < captured.size(); i++) {
            Type type = hasReceiver && i == 0 ? executable.getDeclaringClass() : parameterTypes[i - (hasReceiver ? 1 : 0)];
            try {
                Json.fromTree(captured.get(i), type);
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("the task " + task.describe() + " captures a value that cannot be sent"
                        + " to another process: captured value #" + i + ", a " + type.getTypeName() + ", does not come back"
                        + " from its JSON. Capture only JSON-encodable values (records, strings, numbers, collections),"
                        + " or pass the value as an argument. (" + e.getMessage() + ")", e);
            }
        }
    }

    /** The type the result is decoded as in the parent: the method's generic return type. */
    public Type resultType() {
        if (executable instanceof Method method) {
            return method.getGenericReturnType();
        }
        return executable.getDeclaringClass();
    }

    /**
     * Invokes the task with {@code arguments}, each converted from JSON to its parameter's
     * (generic) type. Returns what the method returned ({@code null} for a void method).
     *
     * @throws IOException      if an argument is not of its parameter's shape, or holds a handle
     *                          that cannot be reconnected
     * @throws Throwable        whatever the task threw
     */
    public Object invoke(List<JsonNode> arguments) throws Throwable {
        List<JsonNode> values = new ArrayList<>(ref.captured());
        values.addAll(arguments);
        Type[] parameterTypes = executable.getGenericParameterTypes();
        int first = hasReceiver ? 1 : 0;
        Object receiver = hasReceiver ? Json.fromTree(values.get(0), executable.getDeclaringClass()) : null;
        Object[] parameters = new Object[parameterTypes.length];
        for (int i = 0; i < parameters.length; i++) {
            parameters[i] = Json.fromTree(values.get(first + i), parameterTypes[i]);
        }
        try {
            return executable instanceof Method method
                    ? method.invoke(receiver, parameters)
                    : ((Constructor<?>) executable).newInstance(parameters);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    public TaskRef ref() {
        return ref;
    }
}
