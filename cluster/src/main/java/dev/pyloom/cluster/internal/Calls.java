package dev.pyloom.cluster.internal;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * The only things a driver sends a node through Hazelcast: a job, as pyloom's own frames, and
 * a control message about its jobs. Both are signed ({@link Signer}) and written field by field
 * ({@link IdentifiedDataSerializable}): Hazelcast never sees a user's class, and never uses
 * Java serialization for pyloom's.
 */
public final class Calls {

    /** The factory id of pyloom's calls in Hazelcast's serialization config. */
    public static final int FACTORY_ID = 0x70796c6d; // "pylm"

    private static final int JOB = 1;
    private static final int CONTROL = 2;
    private static final int HELLO = 3;

    private Calls() {}

    private static final byte ANSWERED = 'A';
    private static final byte LOST = 'L';

    /**
     * What a node said of a job: the answer {@code frame} of the worker {@code worker} (null if
     * the node's pool answered for it); or, if {@code lost}, why the node stopped while it ran,
     * as {@code worker}, and no frame.
     */
    public record Answer(boolean lost, String worker, byte[] frame) {}

    /** What a node does with the calls that reach it: implemented by the node. */
    public interface Receiver {
        /** Proves the node holds the key: see {@link Hello}. */
        byte[] hello(Hello hello);

        /** Runs {@code job}; returns its answer frame (which may carry a refusal or a failure), {@linkplain Job#answer signed}. */
        byte[] run(Job job) throws InterruptedException;

        /** Acts on {@code control}. */
        void control(Control control);
    }

    /**
     * One job of a driver's pool: its number there, its task and calls as JSON, how many calls,
     * its time limit in milliseconds (0: none), and a label for messages; and the driver's
     * session, for the node to tell drivers apart.
     */
    public static final class Job implements Callable<byte[]>, IdentifiedDataSerializable, HazelcastInstanceAware {
        private String target;
        private String session;
        private long id;
        private String label;
        private byte[] task;
        private byte[] calls;
        private int size;
        private long timeLimitMillis;
        private byte[] signature;
        private transient HazelcastInstance member;

        /** For Hazelcast's factory. */
        public Job() {}

        public Job(Signer signer, String target, String session, long id, String label, byte[] task, byte[] calls,
                int size, long timeLimitMillis) {
            this.target = target;
            this.session = session;
            this.id = id;
            this.label = label;
            this.task = task;
            this.calls = calls;
            this.size = size;
            this.timeLimitMillis = timeLimitMillis;
            this.signature = signer.sign(signed());
        }

        private Object[] signed() {
            return new Object[] {"job", target, session, id, label, task, calls, size, timeLimitMillis};
        }

        /** Whether it was signed with {@code signer}'s key, and not altered since. */
        public boolean signedBy(Signer signer) {
            return signer.verify(signature, signed());
        }

        /**
         * The node's answer to this job, {@code frame}, signed with the key: the signature (its
         * first {@link Signer#LENGTH} bytes), a kind, then the frame. A driver trusts an answer
         * only if it checks, so a member that is not a node of the cluster cannot forge a result.
         */
        public byte[] answer(Signer signer, String worker, byte[] frame) {
            return signed(signer, ANSWERED, worker, frame);
        }

        /**
         * The node's word that it stopped while the job ran ({@code why}), signed: the driver
         * fails the job as lost with the node. An answer, never an exception: Hazelcast's client
         * sends a call again when it fails with some of its own exceptions, and a job must not
         * run twice.
         */
        public byte[] lost(Signer signer, String why) {
            return signed(signer, LOST, why, new byte[0]);
        }

        /* The signature, the kind, the text's length and the text (UTF-8), the frame. */
        private byte[] signed(Signer signer, byte kind, String text, byte[] frame) {
            byte[] words = text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
            byte[] signature = signer.sign("answer", session, id, new byte[] {kind}, words, frame);
            ByteBuffer answer = ByteBuffer.allocate(signature.length + 1 + Integer.BYTES + words.length + frame.length);
            answer.put(signature).put(kind).putInt(text == null ? -1 : words.length).put(words).put(frame);
            return answer.array();
        }

        /** What {@code answer} ({@link #answer} or {@link #lost}) says; null if it is not signed with {@code signer}'s key. */
        public Answer read(Signer signer, byte[] answer) {
            if (answer == null || answer.length < Signer.LENGTH + 1 + Integer.BYTES) {
                return null;
            }
            ByteBuffer in = ByteBuffer.wrap(answer);
            byte[] signature = new byte[Signer.LENGTH];
            in.get(signature);
            byte kind = in.get();
            int length = in.getInt();
            if ((kind != ANSWERED && kind != LOST) || length < -1 || length > in.remaining()) {
                return null;
            }
            byte[] words = new byte[Math.max(0, length)];
            in.get(words);
            byte[] frame = new byte[in.remaining()];
            in.get(frame);
            if (!signer.verify(signature, "answer", session, id, new byte[] {kind}, words, frame)) {
                return null;
            }
            return new Answer(kind == LOST, length < 0 ? null : new String(words, StandardCharsets.UTF_8), frame);
        }

        /** The member the job was sent to (its UUID): a node runs only what was sent to it. */
        public String target() {
            return target;
        }

        /** The UUID of the member this job reached. */
        public String receivedBy() {
            return member.getCluster().getLocalMember().getUuid().toString();
        }

        public String session() {
            return session;
        }

        public long id() {
            return id;
        }

        public String label() {
            return label;
        }

        public byte[] task() {
            return task;
        }

        public byte[] calls() {
            return calls;
        }

        public int size() {
            return size;
        }

        public long timeLimitMillis() {
            return timeLimitMillis;
        }

        @Override
        public void setHazelcastInstance(HazelcastInstance member) {
            this.member = member;
        }

        @Override
        public byte[] call() throws Exception {
            return receiver(member).run(this);
        }

        @Override
        public int getFactoryId() {
            return FACTORY_ID;
        }

        @Override
        public int getClassId() {
            return JOB;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeString(target);
            out.writeString(session);
            out.writeLong(id);
            out.writeString(label);
            out.writeByteArray(task);
            out.writeByteArray(calls);
            out.writeInt(size);
            out.writeLong(timeLimitMillis);
            out.writeByteArray(signature);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            target = in.readString();
            session = in.readString();
            id = in.readLong();
            label = in.readString();
            task = in.readByteArray();
            calls = in.readByteArray();
            size = in.readInt();
            timeLimitMillis = in.readLong();
            signature = in.readByteArray();
        }
    }

    /** What a control message asks of a node. */
    public enum Command {
        /** Interrupt the session's jobs {@code firstId} to {@code firstId + count - 1}: cancel(true). */
        INTERRUPT,
        /** End the session: its jobs stop, its workers are killed (the driver's terminate()). */
        END
    }

    /** A signed command about a driver's session. */
    public static final class Control implements Callable<Boolean>, IdentifiedDataSerializable, HazelcastInstanceAware {
        private String session;
        private Command command;
        private long firstId;
        private int count;
        private byte[] signature;
        private transient HazelcastInstance member;

        /** For Hazelcast's factory. */
        public Control() {}

        public Control(Signer signer, String session, Command command, long firstId, int count) {
            this.session = session;
            this.command = command;
            this.firstId = firstId;
            this.count = count;
            this.signature = signer.sign(signed());
        }

        private Object[] signed() {
            return new Object[] {"control", session, command.name(), firstId, count};
        }

        /** Whether it was signed with {@code signer}'s key, and not altered since. */
        public boolean signedBy(Signer signer) {
            return signer.verify(signature, signed());
        }

        public String session() {
            return session;
        }

        public Command command() {
            return command;
        }

        public long firstId() {
            return firstId;
        }

        public int count() {
            return count;
        }

        @Override
        public void setHazelcastInstance(HazelcastInstance member) {
            this.member = member;
        }

        @Override
        public Boolean call() {
            receiver(member).control(this);
            return true;
        }

        @Override
        public int getFactoryId() {
            return FACTORY_ID;
        }

        @Override
        public int getClassId() {
            return CONTROL;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeString(session);
            out.writeString(command.name());
            out.writeLong(firstId);
            out.writeInt(count);
            out.writeByteArray(signature);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            session = in.readString();
            String name = in.readString();
            try {
                command = Command.valueOf(name);
            } catch (IllegalArgumentException | NullPointerException unknown) {
                throw new IOException("a pyloom control message with an unknown command: " + name);
            }
            firstId = in.readLong();
            count = in.readInt();
            signature = in.readByteArray();
        }
    }

    /**
     * A driver's challenge to a member that says it is a node (its {@code pyloom.workers}
     * attribute): a random value and the member's UUID. A node answers with its name and workers,
     * signed with the key over the challenge ({@link #answer}); the driver sends work only to a
     * member whose answer checks ({@link #read}). A member without the key can claim any
     * attribute, but cannot answer: it is never sent a job.
     */
    public static final class Hello implements Callable<byte[]>, IdentifiedDataSerializable, HazelcastInstanceAware {
        private byte[] challenge;
        private String target;
        private transient HazelcastInstance member;

        /** For Hazelcast's factory. */
        public Hello() {}

        public Hello(byte[] challenge, String target) {
            this.challenge = challenge.clone();
            this.target = target;
        }

        /** What a node that answered said of itself. */
        public record Node(String name, int workers) {}

        /** The answer of the node {@code name} of {@code workers} workers, whose UUID is {@code self}. */
        public byte[] answer(Signer signer, String self, String name, int workers) {
            byte[] words = name.getBytes(StandardCharsets.UTF_8);
            byte[] signature = signer.sign("hello", challenge, self, name, workers);
            return ByteBuffer.allocate(signature.length + Integer.BYTES + words.length).put(signature).putInt(workers)
                    .put(words).array();
        }

        /** The node that {@code answer} describes; null if it is not signed with {@code signer}'s key for this challenge. */
        public Node read(Signer signer, byte[] answer) {
            if (answer == null || answer.length < Signer.LENGTH + Integer.BYTES) {
                return null;
            }
            ByteBuffer in = ByteBuffer.wrap(answer);
            byte[] signature = new byte[Signer.LENGTH];
            in.get(signature);
            int workers = in.getInt();
            byte[] words = new byte[in.remaining()];
            in.get(words);
            String name = new String(words, StandardCharsets.UTF_8);
            return workers > 0 && signer.verify(signature, "hello", challenge, target, name, workers)
                    ? new Node(name, workers) : null;
        }

        @Override
        public void setHazelcastInstance(HazelcastInstance member) {
            this.member = member;
        }

        /** The UUID of the member this challenge reached. */
        public String receivedBy() {
            return member.getCluster().getLocalMember().getUuid().toString();
        }

        @Override
        public byte[] call() {
            return receiver(member).hello(this);
        }

        @Override
        public int getFactoryId() {
            return FACTORY_ID;
        }

        @Override
        public int getClassId() {
            return HELLO;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeByteArray(challenge);
            out.writeString(target);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            challenge = in.readByteArray();
            target = in.readString();
        }
    }

    /** Makes pyloom's calls as Hazelcast reads them. */
    public static final class Factory implements DataSerializableFactory {
        @Override
        public IdentifiedDataSerializable create(int classId) {
            return switch (classId) {
                case JOB -> new Job();
                case CONTROL -> new Control();
                case HELLO -> new Hello();
                default -> null;
            };
        }
    }

    private static Receiver receiver(HazelcastInstance member) {
        if (member == null || !(member.getUserContext().get(HazelcastSetup.NODE_CONTEXT) instanceof Receiver node)) {
            throw new IllegalStateException("a pyloom job reached a Hazelcast member that is not a pyloom node:"
                    + " start nodes with dev.pyloom.cluster.Node");
        }
        return node;
    }
}
