package dev.pyloom.ipc;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/**
 * A generic type to decode a message into, captured the usual way, by a subclass:
 *
 * <pre>{@code
 * List<Point> points = conn.recv(new TypeRef<List<Point>>() {});
 * }</pre>
 *
 * <p>It plays the part of Jackson's {@code TypeReference} without putting Jackson in the API.
 */
public abstract class TypeRef<T> {

    private final Type type;

    /** Captures {@code T} from the anonymous subclass. */
    protected TypeRef() {
        Type superclass = getClass().getGenericSuperclass();
        if (!(superclass instanceof ParameterizedType parameterized)) {
            throw new IllegalStateException("TypeRef must be created with its type argument, as new TypeRef<List<String>>() {}");
        }
        this.type = parameterized.getActualTypeArguments()[0];
    }

    /** The captured type. */
    public Type type() {
        return type;
    }

    @Override
    public String toString() {
        return "TypeRef<" + type.getTypeName() + ">";
    }
}
