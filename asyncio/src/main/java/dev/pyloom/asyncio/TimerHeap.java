package dev.pyloom.asyncio;

import java.util.Arrays;

/**
 * The loop's timers: a binary min-heap ordered by due time, then by the order they were added.
 * An entry is a {@link TimerHandle}, or a sleeping {@link Task}: a task's sleep needs no handle,
 * which is a million objects fewer when a million tasks sleep.
 *
 * <p>The keys live in the heap's own arrays, beside the entries, so a sift compares numbers
 * without visiting the entries. Each entry knows its index ({@link TimerHandle#heapIndex},
 * {@link Task#timerIndex}), kept up to date as it moves, so a cancelled entry leaves in
 * O(log n) at once, as in {@code java.util.concurrent}'s scheduled executor, instead of
 * lingering until it is due.
 *
 * <p>Only touched by the holder of the loop's turn (or, while the loop is not running, its user).
 */
final class TimerHeap {

    /** The index of an entry that is not in the heap. */
    static final int NOT_IN_HEAP = -1;

    private static final int INITIAL_CAPACITY = 16;

    private long[] whens = new long[INITIAL_CAPACITY];
    private long[] orders = new long[INITIAL_CAPACITY];
    private Object[] entries = new Object[INITIAL_CAPACITY];
    private int size;

    int size() {
        return size;
    }

    /** How many entries the arrays have room for (for tests). */
    int capacity() {
        return entries.length;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The entry due first (of those due at once, the first added), or null if the heap is empty. */
    Object first() {
        return entries[0];
    }

    /** When the first entry is due; the heap must not be empty. */
    long firstWhen() {
        return whens[0];
    }

    /** Adds {@code entry}, due at {@code when}; of entries due at once, lower {@code order} comes first. */
    void add(long when, long order, Object entry) {
        if (size == entries.length) {
            resize(size + (size >> 1));
        }
        siftUp(size++, when, order, entry);
    }

    /** Removes and returns the first entry; the heap must not be empty. */
    Object poll() {
        Object first = entries[0];
        removeAt(0);
        return first;
    }

    /** Removes {@code entry}, if it is in the heap. */
    void remove(Object entry) {
        int index = indexOf(entry);
        if (index >= 0 && index < size && entries[index] == entry) {
            removeAt(index);
        }
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            setIndex(entries[i], NOT_IN_HEAP);
        }
        Arrays.fill(entries, 0, size, null);
        size = 0;
    }

    private void removeAt(int index) {
        setIndex(entries[index], NOT_IN_HEAP);
        int last = --size;
        long when = whens[last];
        long order = orders[last];
        Object moved = entries[last];
        entries[last] = null;
        if (index != last) {
            siftDown(index, when, order, moved);
            if (entries[index] == moved) {
                siftUp(index, when, order, moved);
            }
        }
        if (size < entries.length >> 2 && entries.length > INITIAL_CAPACITY) {
            resize(Math.max(INITIAL_CAPACITY, entries.length >> 1)); // a loop that once held a million timers need not keep their arrays
        }
    }

    private void siftUp(int index, long when, long order, Object entry) {
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            if (!before(when, order, whens[parent], orders[parent])) {
                break;
            }
            put(index, whens[parent], orders[parent], entries[parent]);
            index = parent;
        }
        put(index, when, order, entry);
    }

    private void siftDown(int index, long when, long order, Object entry) {
        int half = size >>> 1; // the first index without children
        while (index < half) {
            int child = 2 * index + 1;
            int right = child + 1;
            if (right < size && before(whens[right], orders[right], whens[child], orders[child])) {
                child = right;
            }
            if (!before(whens[child], orders[child], when, order)) {
                break;
            }
            put(index, whens[child], orders[child], entries[child]);
            index = child;
        }
        put(index, when, order, entry);
    }

    private void put(int index, long when, long order, Object entry) {
        whens[index] = when;
        orders[index] = order;
        entries[index] = entry;
        setIndex(entry, index);
    }

    private static boolean before(long when, long order, long otherWhen, long otherOrder) {
        return when < otherWhen || (when == otherWhen && order < otherOrder);
    }

    private void resize(int capacity) {
        whens = Arrays.copyOf(whens, capacity);
        orders = Arrays.copyOf(orders, capacity);
        entries = Arrays.copyOf(entries, capacity);
    }

    private static int indexOf(Object entry) {
        return entry instanceof Task<?> sleeper ? sleeper.timerIndex : ((TimerHandle) entry).heapIndex;
    }

    private static void setIndex(Object entry, int index) {
        if (entry instanceof Task<?> sleeper) {
            sleeper.timerIndex = index;
        } else {
            ((TimerHandle) entry).heapIndex = index;
        }
    }
}
