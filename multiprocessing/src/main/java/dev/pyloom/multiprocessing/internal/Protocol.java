package dev.pyloom.multiprocessing.internal;

import dev.pyloom.ipc.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * The messages between a parent and its worker JVMs. The bootstrap goes through the child's
 * standard input (which stays open afterwards: its end is how a child learns that its parent has
 * died); everything else goes over a pyloom-ipc {@code Connection} authenticated with the key in
 * the bootstrap, starting with a {@link Hello} and then carrying the frames of {@link Wire}.
 * Standard output and error are never used: they belong to the tasks.
 */
public final class Protocol {

    /**
     * The largest frame on a pool's connections. They are authenticated and between processes of
     * one program, so the limit is about memory, not abuse: a map's chunk of big items must fit.
     */
    public static final int MAX_FRAME_BYTES = 1 << 30;

    private Protocol() {}

    /** What a child is and does, as one JSON line on its standard input. */
    public record Bootstrap(
            String role,             // "pool" (a Pool's worker) or "process" (a PyProcess)
            String name,             // its name, as PyProcess.current().name() reports it
            boolean daemon,
            String address,          // pool: where to connect back
            String key,              // pool: the listener's auth key, base64
            String token,            // pool: says which worker this is
            TaskRef initializer,     // pool: run once before the first task; may be null
            List<JsonNode> initArgs,
            TaskRef target,          // process: the one task to run
            List<JsonNode> args) {

        /**
         * As one line of JSON (without its newline): written by hand for a pool's worker without
         * an initializer, whose fields are all plain, and by the mapper otherwise.
         */
        public byte[] encode() {
            if (!plain()) {
                return Json.mapper().writeValueAsBytes(this);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            try (JsonGenerator json = JsonStreams.generator(out, true)) {
                json.writeStartObject();
                json.writeStringProperty("role", role);
                json.writeStringProperty("name", name);
                json.writeBooleanProperty("daemon", daemon);
                json.writeStringProperty("address", address);
                json.writeStringProperty("key", key);
                json.writeStringProperty("token", token);
                json.writeEndObject();
            }
            return out.toByteArray();
        }

        private boolean plain() {
            return initializer == null && (initArgs == null || initArgs.isEmpty()) && target == null && args == null;
        }

        /**
         * Reads {@link #encode()}'s line (or the mapper's): by hand if its fields are plain (an
         * initializer, target and arguments absent, null or empty), by the mapper otherwise
         * (which also says what is wrong with a bad line).
         */
        public static Bootstrap decode(String line) {
            try (JsonParser json = JsonStreams.parser(line)) {
                if (json.nextToken() != JsonToken.START_OBJECT) {
                    return Json.mapper().readValue(line, Bootstrap.class);
                }
                String role = null, name = null, address = null, key = null, token = null;
                boolean daemon = false;
                for (String field = json.nextName(); field != null; field = json.nextName()) {
                    JsonToken value = json.nextToken();
                    switch (field) {
                        case "daemon" -> {
                            if (!value.isBoolean()) {
                                return Json.mapper().readValue(line, Bootstrap.class);
                            }
                            daemon = json.getBooleanValue();
                        }
                        case "role", "name", "address", "key", "token" -> {
                            if (value != JsonToken.VALUE_STRING) {
                                return Json.mapper().readValue(line, Bootstrap.class);
                            }
                            String text = json.getString();
                            switch (field) {
                                case "role" -> role = text;
                                case "name" -> name = text;
                                case "address" -> address = text;
                                case "key" -> key = text;
                                default -> token = text;
                            }
                        }
                        case "initializer", "target", "args" -> {
                            if (value != JsonToken.VALUE_NULL) {
                                return Json.mapper().readValue(line, Bootstrap.class);
                            }
                        }
                        case "initArgs" -> {
                            if (value != JsonToken.VALUE_NULL && (value != JsonToken.START_ARRAY
                                    || json.nextToken() != JsonToken.END_ARRAY)) {
                                return Json.mapper().readValue(line, Bootstrap.class);
                            }
                        }
                        default -> {
                            return Json.mapper().readValue(line, Bootstrap.class); // says what is wrong with it
                        }
                    }
                }
                if (json.nextToken() != null) {
                    return Json.mapper().readValue(line, Bootstrap.class); // says what follows the object
                }
                return new Bootstrap(role, name, daemon, address, key, token, null, List.of(), null, null);
            }
        }
    }

    /** The worker's first message on its connection, a byte frame of JSON: {@code {"token":...,"pid":...}}. */
    public record Hello(String token, long pid) {

        public byte[] encode() {
            ByteArrayOutputStream out = new ByteArrayOutputStream(96);
            try (JsonGenerator json = JsonStreams.generator(out, true)) {
                json.writeStartObject();
                json.writeStringProperty("token", token);
                json.writeNumberProperty("pid", pid);
                json.writeEndObject();
            }
            return out.toByteArray();
        }

        /**
         * Reads {@link #encode()}'s frame.
         *
         * @throws IOException if it is not a hello
         */
        public static Hello decode(byte[] frame) throws IOException {
            try (JsonParser json = JsonStreams.parser(frame)) {
                String token = null;
                long pid = -1;
                if (json.nextToken() == JsonToken.START_OBJECT) {
                    for (String field = json.nextName(); field != null; field = json.nextName()) {
                        JsonToken value = json.nextToken();
                        if (field.equals("token") && value == JsonToken.VALUE_STRING) {
                            token = json.getString();
                        } else if (field.equals("pid") && value == JsonToken.VALUE_NUMBER_INT) {
                            pid = json.getLongValue();
                        } else {
                            json.skipChildren();
                        }
                    }
                }
                if (token == null || pid < 0) {
                    throw new IOException("not a worker's hello: " + new String(frame, 0, Math.min(frame.length, 80),
                            java.nio.charset.StandardCharsets.UTF_8));
                }
                return new Hello(token, pid);
            } catch (tools.jackson.core.JacksonException e) {
                throw new IOException("not a worker's hello: " + e.getOriginalMessage(), e);
            }
        }
    }
}
