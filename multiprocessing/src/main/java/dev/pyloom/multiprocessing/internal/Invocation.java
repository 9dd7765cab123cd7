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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JavaType;
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
 *
 * <p>Finding a method by reflection is slow next to calling it, so each method is looked up
 * once per JVM and kept.
 */
public final class Invocation {

    /**
     * The method a task names, as this JVM found it; {@code accessible} once its access check is
     * off, which happens where it is invoked (the parent only checks tasks).
     */
    private record Target(Executable executable, boolean hasReceiver, Type[] valueTypes,
            AtomicReference<JavaType[]> javaTypes, AtomicBoolean accessible) {

        /*
         * Jackson's types for the values, built when first needed: arguments of plain scalars are
         * read without the mapper, and a JVM that never needs it never builds it (see JsonStreams).
         */
        JavaType[] jacksonTypes() {
            JavaType[] types = javaTypes.get();
            if (types == null) {
                types = Arrays.stream(valueTypes).map(type -> Json.mapper().getTypeFactory().constructType(type))
                        .toArray(JavaType[]::new);
                javaTypes.set(types);
            }
            return types;
        }
    }

    private record Key(ClassLoader loader, String className, String method, String descriptor, int kind) {}

    private final TaskRef ref;
    private final Target target;

    private Invocation(TaskRef ref, Target target) {
        this.ref = ref;
        this.target = target;
    }

    /**
     * Finds the method {@code ref} names.
     *
     * @throws IllegalArgumentException if the class or method does not exist here, saying which
     */
    public static Invocation resolve(TaskRef ref, ClassLoader loader) {
        return new Invocation(ref, find(ref, loader));
    }

    /**
     * Methods found once and kept, for a worker (which runs the same few tasks many times) or a
     * pool (which checks every submission). One per owner, so that nothing outlives it.
     */
    public static final class Cache {
        private final ClassLoader loader;
        private final Map<Key, Target> targets = new ConcurrentHashMap<>();

        /** A cache that finds classes through {@code loader}, unless told another. */
        public Cache(ClassLoader loader) {
            this.loader = loader;
        }

        /** As {@link Invocation#resolve(TaskRef, ClassLoader)}, finding each method once. */
        public Invocation resolve(TaskRef ref) {
            return resolve(ref, loader);
        }

        /** As {@link Invocation#resolve(TaskRef, ClassLoader)}, finding each method once per loader. */
        public Invocation resolve(TaskRef ref, ClassLoader through) {
            Key key = new Key(through, ref.className(), ref.method(), ref.descriptor(), ref.kind());
            Target target = targets.get(key);
            if (target == null) {
                target = find(ref, through);
                targets.putIfAbsent(key, target);
            }
            return new Invocation(ref, target);
        }
    }

    private static Target find(TaskRef ref, ClassLoader loader) {
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
        boolean hasReceiver = found instanceof Method m && !Modifier.isStatic(m.getModifiers());
        Type[] parameters = found.getGenericParameterTypes();
        Type[] valueTypes = new Type[parameters.length + (hasReceiver ? 1 : 0)];
        if (hasReceiver) {
            valueTypes[0] = found.getDeclaringClass();
        }
        System.arraycopy(parameters, 0, valueTypes, hasReceiver ? 1 : 0, parameters.length);
        return new Target(found, hasReceiver, valueTypes, new AtomicReference<>(),
                new AtomicBoolean());
    }

    private static String descriptor(Class<?> returnType, Class<?>[] parameterTypes) {
        return MethodType.methodType(returnType, parameterTypes).toMethodDescriptorString();
    }

    /** How many arguments the task takes after its captured values. */
    public int arity() {
        return target.valueTypes().length - ref.captured().size();
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
     * Checks that the values the task captured come back, in the worker, as what the method
     * takes: JSON encodes some objects (a lock's getters, say) that cannot be decoded again, and
     * that should fail at submission, not in the worker. (Handles of connections and queues are
     * left alone: decoding one here would use it up.)
     *
     * @throws IllegalArgumentException naming the captured value that would not arrive
     */
    public void requireCapturesDecode() {
        List<JsonNode> captured = ref.captured();
        for (int i = 0; i < captured.size(); i++) {
            if (Json.isHandle(captured.get(i))) {
                continue;
            }
            try {
                decodeCapture(i);
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("the task " + ref.describe() + " captures a value that cannot be sent"
                        + " to another process: " + e.getMessage() + ". Capture only JSON-encodable values (records,"
                        + " strings, numbers, collections), or pass the value as an argument.", e);
            }
        }
    }

    /**
     * Checks that the result can come back as what the caller expects. It cannot when its type
     * is a type variable ({@code <T> T f(...)}), or a generic type that a lambda returns:
     * javac keeps no generic types for a lambda's method, so a {@code List<Point>} would arrive
     * as a list of plain JSON objects, and fail only where the caller uses it.
     *
     * @throws IllegalArgumentException saying what to write instead
     */
    public void requireResultDecodes() {
        Type type = resultType();
        if (mentionsTypeVariable(type)) {
            throw new IllegalArgumentException("task " + ref.describe() + " returns " + type.getTypeName() + ", a type"
                    + " variable: its result would arrive as plain JSON values (maps, lists), not as the type the caller"
                    + " expects. Give the method a concrete return type.");
        }
        if (target.executable().isSynthetic() && type instanceof Class<?> raw && raw.getTypeParameters().length > 0) {
            throw new IllegalArgumentException("a lambda returning a " + raw.getName() + " cannot be sent to a worker:"
                    + " javac keeps no type arguments for a lambda, so its result would arrive as plain JSON values"
                    + " (a List<Point> as a list of maps). Declare the work as a method (static List<Point> work(...))"
                    + " and pass a method reference to it.");
        }
    }

    private static boolean mentionsTypeVariable(Type type) {
        if (type instanceof java.lang.reflect.TypeVariable<?>) {
            return true;
        }
        if (type instanceof java.lang.reflect.ParameterizedType parameterized) {
            return Arrays.stream(parameterized.getActualTypeArguments()).anyMatch(Invocation::mentionsTypeVariable);
        }
        if (type instanceof java.lang.reflect.GenericArrayType array) {
            return mentionsTypeVariable(array.getGenericComponentType());
        }
        if (type instanceof java.lang.reflect.WildcardType wildcard) {
            return Arrays.stream(wildcard.getUpperBounds()).anyMatch(Invocation::mentionsTypeVariable);
        }
        return false;
    }

    /** The captured values, decoded as the method's leading parameters (the receiver first, if any). */
    public Object[] decodeCaptures() throws IOException {
        Object[] values = new Object[ref.captured().size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = decodeCapture(i);
        }
        return values;
    }

    private Object decodeCapture(int i) throws IOException {
        Type type = target.valueTypes()[i];
        try {
            return Json.fromTree(ref.captured().get(i), type);
        } catch (IOException e) {
            throw new IOException("captured value #" + i + ", a " + type.getTypeName() + ", does not come back from its"
                    + " JSON (" + e.getMessage() + ")", e);
        }
    }

    /** The types the arguments (after the captured values) are decoded as, as Java declares them. */
    Type[] argumentValueTypes() {
        return Arrays.copyOfRange(target.valueTypes(), ref.captured().size(), target.valueTypes().length);
    }

    /** The types the arguments (after the captured values) are decoded as. */
    public JavaType[] argumentTypes() {
        JavaType[] all = target.jacksonTypes();
        return Arrays.copyOfRange(all, ref.captured().size(), all.length);
    }

    /** The type of the first argument after the captured values; null if the task takes none. */
    Type firstArgumentType() {
        Type[] all = target.valueTypes();
        return all.length > ref.captured().size() ? all[ref.captured().size()] : null;
    }

    /** The type the result is decoded as in the parent: the method's generic return type. */
    public Type resultType() {
        if (target.executable() instanceof Method method) {
            return method.getGenericReturnType();
        }
        return target.executable().getDeclaringClass();
    }

    /** Whether the task returns nothing. */
    public boolean returnsVoid() {
        return resultType() == void.class;
    }

    /**
     * Invokes the task with decoded captured values and arguments. Returns what the method
     * returned ({@code null} for a void method).
     *
     * @throws Throwable whatever the task threw
     */
    public Object invoke(Object[] captured, Object[] arguments) throws Throwable {
        Object[] values = captured.length == 0 ? arguments : concat(captured, arguments);
        Executable executable = target.executable();
        if (!target.accessible().get()) {
            makeAccessible(executable);
            target.accessible().set(true);
        }
        try {
            if (executable instanceof Method method) {
                if (target.hasReceiver()) {
                    return method.invoke(values[0], Arrays.copyOfRange(values, 1, values.length));
                }
                return method.invoke(null, values);
            }
            return ((Constructor<?>) executable).newInstance(values);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /**
     * Invokes the task with arguments as JSON trees, each converted to its parameter's type:
     * for a process's target and a pool's initializer, which run once.
     *
     * @throws IOException if an argument is not of its parameter's shape, or holds a handle that
     *                     cannot be reconnected
     * @throws Throwable   whatever the task threw
     */
    public Object invoke(List<JsonNode> arguments) throws Throwable {
        Type[] types = target.valueTypes();
        int first = ref.captured().size();
        Object[] decoded = new Object[arguments.size()];
        for (int i = 0; i < decoded.length; i++) {
            decoded[i] = Json.fromTree(arguments.get(i), types[first + i]);
        }
        return invoke(decodeCaptures(), decoded);
    }

    /*
     * Only where the task runs: the parent resolves tasks to check them, and needs no access.
     * A task of a named module is invoked reflectively, so its package must be open to pyloom.
     */
    private void makeAccessible(Executable executable) {
        try {
            executable.setAccessible(true);
        } catch (java.lang.reflect.InaccessibleObjectException closed) {
            throw new IllegalStateException(notOpen(), closed);
        }
    }

    /**
     * Checks, where a task is submitted, that a child will be able to invoke it: a task of a
     * named module must be in a package open to pyloom (or to the unnamed module, which a child
     * extends to pyloom, as it does for Surefire's patched test packages).
     *
     * @throws IllegalArgumentException naming the {@code opens} line to add
     */
    public void requireInvocable() {
        Class<?> owner = declaringClass();
        Module module = owner.getModule();
        Module pyloom = Invocation.class.getModule();
        String pkg = owner.getPackageName();
        boolean publicMember = Modifier.isPublic(owner.getModifiers())
                && Modifier.isPublic(target.executable().getModifiers()) && module.isExported(pkg, pyloom);
        if (!module.isNamed() || module == pyloom || publicMember || module.isOpen(pkg, pyloom)
                || module.isOpen(pkg, ClassLoader.getSystemClassLoader().getUnnamedModule())) {
            return; // as setAccessible will see it
        }
        throw new IllegalArgumentException(notOpen());
    }

    private String notOpen() {
        Class<?> owner = declaringClass();
        String pkg = owner.getPackageName();
        String pyloom = moduleName(Invocation.class.getModule());
        java.util.Set<String> targets = new java.util.TreeSet<>(java.util.List.of(pyloom, "tools.jackson.databind"));
        java.lang.module.ModuleDescriptor descriptor = owner.getModule().getDescriptor();
        if (descriptor != null) { // the module's own opens line for the package, with pyloom and Jackson added
            descriptor.opens().stream().filter(opens -> opens.source().equals(pkg)).forEach(opens -> targets.addAll(opens.targets()));
        }
        return "task " + ref.describe() + " cannot be invoked: package " + pkg + " of module "
                + owner.getModule().getName() + " is not open to " + pyloom + ", which invokes it reflectively. Add to"
                + " its module-info.java: opens " + pkg + " to " + String.join(", ", targets) + ";";
    }

    private static String moduleName(Module module) {
        return module.isNamed() ? module.getName() : "ALL-UNNAMED";
    }

    /** The class that declares the task's method. */
    public Class<?> declaringClass() {
        return target.executable().getDeclaringClass();
    }

    private static Object[] concat(Object[] a, Object[] b) {
        Object[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    public TaskRef ref() {
        return ref;
    }
}
