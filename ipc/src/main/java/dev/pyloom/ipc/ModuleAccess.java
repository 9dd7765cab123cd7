package dev.pyloom.ipc;

import java.lang.module.ModuleDescriptor;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * Why Jackson could not reach a class, when the reason is the module system: the class's module
 * does not open its package to Jackson, which reads and writes records and beans reflectively.
 * Jackson's own message names an {@code invokeSpecial} or an inaccessible member; this names
 * the {@code opens} line to add.
 */
final class ModuleAccess {

    private static final Module JACKSON = ObjectMapper.class.getModule();

    /* A binary class name as the JDK's access errors and Jackson's messages write it: com.example.App$Order. */
    private static final Pattern CLASS_NAME = Pattern.compile("(?:[a-z_][a-zA-Z0-9_]*\\.)+[A-Z][a-zA-Z0-9_$]*");

    private ModuleAccess() {}

    /**
     * A sentence to append to the message of {@code failure}, or {@code ""} when it was not
     * caused by a package closed to Jackson. {@code value} (what was being written) and
     * {@code type} (what was being read) may be null.
     */
    static String hint(Throwable failure, Object value, Type type) {
        if (!causedByAccess(failure)) {
            return "";
        }
        for (Class<?> candidate : candidates(failure, value, type)) {
            String hint = hint(candidate);
            if (!hint.isEmpty()) {
                return hint;
            }
        }
        return "";
    }

    private static String hint(Class<?> type) {
        while (type.isArray()) {
            type = type.getComponentType();
        }
        Module module = type.getModule();
        String pkg = type.getPackageName();
        ClassLoader loader = type.getClassLoader();
        if (!module.isNamed() || module.isOpen(pkg, JACKSON) || loader == null
                || loader == ClassLoader.getPlatformClassLoader()) {
            return ""; // not the program's: a JDK type (a List holding the program's records) needs no opens
        }
        String jackson = JACKSON.isNamed() ? JACKSON.getName() : "ALL-UNNAMED";
        Set<String> targets = new TreeSet<>();
        ModuleDescriptor descriptor = module.getDescriptor();
        if (descriptor != null) {
            descriptor.opens().stream().filter(opens -> opens.source().equals(pkg)).forEach(opens -> targets.addAll(opens.targets()));
        }
        targets.add(jackson);
        return ". Package " + pkg + " of module " + module.getName() + " is not open to " + jackson
                + ", which reads and writes " + type.getSimpleName() + " reflectively. Add to its module-info.java:"
                + " opens " + pkg + " to " + String.join(", ", targets) + ";";
    }

    private static boolean causedByAccess(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IllegalAccessException || t instanceof InaccessibleObjectException
                    || t instanceof IllegalAccessError) {
                return true;
            }
        }
        return false;
    }

    /*
     * The classes the failures' messages name (the class whose member could not be reached),
     * then those Jackson was handling, innermost first, then the value's and the type's.
     */
    private static List<Class<?>> candidates(Throwable failure, Object value, Type type) {
        List<Class<?>> candidates = new ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t instanceof JacksonException jackson ? jackson.getOriginalMessage() : t.getMessage();
            if (message == null) {
                continue;
            }
            Matcher name = CLASS_NAME.matcher(message);
            while (name.find()) {
                try {
                    candidates.add(Class.forName(name.group(), false, ModuleAccess.class.getClassLoader()));
                } catch (ClassNotFoundException | LinkageError notAClass) {
                    // a member's name, or not this loader's
                }
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof JacksonException jackson) {
                List<Class<?>> path = new ArrayList<>();
                for (var reference : jackson.getPath()) {
                    Object from = reference.from();
                    if (from != null) {
                        path.add(from instanceof Class<?> c ? c : from.getClass());
                    }
                }
                candidates.addAll(path.reversed());
            }
        }
        if (value != null) {
            candidates.add(value.getClass());
        }
        if (type instanceof Class<?> c) {
            candidates.add(c);
        }
        return candidates;
    }
}
