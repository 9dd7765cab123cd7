package dev.pyloom.ipc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * Messages to and from JSON. One strict, shared mapper:
 * <ul>
 *   <li>no default typing and no type ids: the wire never names a class, so decoding can only
 *       ever build the type the receiver asked for (or maps, lists, strings, numbers, booleans
 *       and null when it asked for {@code Object});</li>
 *   <li>unknown properties, {@code null} for a primitive and trailing data are errors, not
 *       silently ignored: JSON of the wrong shape is reported, never half-read;</li>
 *   <li>an object with nothing to serialize is an error, so a value that cannot travel fails at
 *       the sender, not as an empty object at the receiver;</li>
 *   <li>a {@link Connection} (and a queue) inside a message travels as a handle: a small JSON
 *       object that the receiving process turns back into a live object by reconnecting.</li>
 * </ul>
 * Records, enums, collections, {@code Optional} and {@code java.time} values work out of the
 * box (Jackson 3 has them built in).
 */
final class Codec {

    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .addModule(new SimpleModule("pyloom-handles")
                    .addSerializer(Connection.class, new ConnectionSerializer())
                    .addDeserializer(Connection.class, new ConnectionDeserializer())
                    .addSerializer(Queue.class, new HandleSerializer<>(Queue.class, q -> q.core.handle()))
                    .addSerializer(SimpleQueue.class, new HandleSerializer<>(SimpleQueue.class, q -> q.core().handle()))
                    .addDeserializer(Queue.class, new QueueDeserializer<>(Queue.class, null))
                    .addDeserializer(JoinableQueue.class, new QueueDeserializer<>(JoinableQueue.class, null))
                    .addDeserializer(SimpleQueue.class, new QueueDeserializer<>(SimpleQueue.class, null)))
            .build();

    static final JavaType ANY = type(Object.class);

    private Codec() {}

    static JavaType type(Type type) {
        return MAPPER.getTypeFactory().constructType(type);
    }

    /**
     * Encodes {@code value} into {@code out}.
     *
     * @throws IllegalArgumentException if the value cannot be encoded as JSON, saying why
     */
    static void encode(Object value, java.io.OutputStream out) {
        try {
            MAPPER.writeValue(out, value);
        } catch (JacksonException e) {
            throw Json.encodingFailure(value, e);
        }
    }

    static byte[] encode(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JacksonException e) {
            throw Json.encodingFailure(value, e);
        }
    }

    /**
     * Decodes a payload into {@code type}.
     *
     * @throws IOException (a {@link MalformedMessageException}) if it is not JSON or not of that
     *                     shape; or the I/O failure of reconnecting a handle inside it
     */
    static <T> T decode(byte[] array, int offset, int length, JavaType type) throws IOException {
        try {
            return MAPPER.readValue(array, offset, length, type);
        } catch (JacksonException e) {
            IOException handleFailure = handleFailureIn(e);
            if (handleFailure != null) {
                throw handleFailure;
            }
            throw new MalformedMessageException("cannot decode a " + type.toCanonical() + " from the message: "
                    + e.getOriginalMessage() + ModuleAccess.hint(e, null, type.getRawClass()), e);
        }
    }

    static IOException handleFailureIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HandleFailure failure) {
                return failure.getCause();
            }
        }
        return null;
    }

    /** An I/O failure while turning a handle back into a live object, carried through Jackson. */
    static final class HandleFailure extends UncheckedIOException {
        private static final long serialVersionUID = 1L;

        HandleFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** Writes a queue as its handle. */
    private static final class HandleSerializer<Q> extends StdSerializer<Q> {
        private final java.util.function.Function<Q, JsonNode> handle;

        HandleSerializer(Class<Q> type, java.util.function.Function<Q, JsonNode> handle) {
            super(type);
            this.handle = handle;
        }

        @Override
        public void serialize(Q queue, JsonGenerator gen, SerializationContext ctxt) {
            gen.writeTree(handle.apply(queue));
        }
    }

    /**
     * Reads a queue handle into a live queue whose element type is the declared one: the
     * {@code T} of the field's {@code Queue<T>} (or of the type asked for at the top level).
     */
    private static final class QueueDeserializer<Q> extends StdDeserializer<Q> {
        private final JavaType element;

        QueueDeserializer(Class<Q> queueClass, JavaType element) {
            super(queueClass);
            this.element = element;
        }

        @Override
        public tools.jackson.databind.ValueDeserializer<?> createContextual(DeserializationContext ctxt,
                tools.jackson.databind.BeanProperty property) {
            JavaType declared = property != null ? property.getType() : ctxt.getContextualType();
            JavaType elementType = declared != null && declared.containedTypeCount() > 0 ? declared.containedType(0) : ANY;
            @SuppressWarnings("unchecked")
            Class<Q> queueClass = (Class<Q>) handledType();
            return new QueueDeserializer<>(queueClass, elementType);
        }

        @Override
        @SuppressWarnings("unchecked")
        public Q deserialize(JsonParser p, DeserializationContext ctxt) {
            JsonNode handle = ctxt.readTree(p);
            JavaType elementType = element != null ? element : ANY;
            try {
                Object queue;
                if (handledType() == SimpleQueue.class) {
                    queue = SimpleQueue.fromHandle(handle, elementType);
                } else if (handledType() == JoinableQueue.class) {
                    queue = new JoinableQueue<>(QueueCore.remote(handle, elementType, QueueCore.JOINABLE));
                } else {
                    queue = Queue.fromHandle(handle, elementType);
                }
                return (Q) queue;
            } catch (IOException e) {
                throw new HandleFailure(e);
            }
        }
    }

    private static final class ConnectionSerializer extends StdSerializer<Connection> {
        ConnectionSerializer() {
            super(Connection.class);
        }

        @Override
        public void serialize(Connection connection, JsonGenerator gen, SerializationContext ctxt) {
            gen.writeTree(connection.export());
        }
    }

    private static final class ConnectionDeserializer extends StdDeserializer<Connection> {
        ConnectionDeserializer() {
            super(Connection.class);
        }

        @Override
        public Connection deserialize(JsonParser p, DeserializationContext ctxt) {
            JsonNode handle = ctxt.readTree(p);
            try {
                return Connection.fromHandle(handle);
            } catch (IOException e) {
                throw new HandleFailure(e);
            }
        }
    }
}
