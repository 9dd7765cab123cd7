package dev.pyloom.asyncio;

import java.util.Arrays;

/**
 * The loop's timers: a binary min-heap ordered by due time, then by the order they were added.
 * An entry is a {@link TimerHandle}, or a sleeping {@link Task}: a task's sleep needs no handle,
 * which is a million objects fewer when a million tasks sleep.
 *
 * <p>The keys live in the heap's own arrays, beside the entries, so a sift compares numbers
 * without visiting the entries. The arrays are pages of {@value #PAGE_SIZE} slots, added and
 * dropped one at a time: growing to a million timers copies nothing and leaves no discarded
 * arrays behind (in a long-lived program those would sit in the old generation until a full
 * collection). Each entry knows its index ({@link TimerHandle#heapIndex}, {@link Task#timerIndex}),
 * kept up to date as it moves, so a cancelled entry leaves in O(log n) at once, as in
 * {@code java.util.concurrent}'s scheduled executor, instead of lingering until it is due.
 *
 * <p>Only touched by the holder of the loop's turn (or, while the loop is not running, its user).
 */
final class TimerHeap {

    /** The index of an entry that is not in the heap. */
    static final int NOT_IN_HEAP = -1;

    private static final int PAGE_BITS = 10;
    static final int PAGE_SIZE = 1 << PAGE_BITS;
    private static final int SLOT = PAGE_SIZE - 1;

    // page p holds indexes p * PAGE_SIZE to (p + 1) * PAGE_SIZE - 1; the tables have room for more pages
    private long[][] whens = new long[1][];
    private long[][] orders = new long[1][];
    private Object[][] entries = new Object[1][];
    private int pages;
    private int size;

    int size() {
        return size;
    }

    /** How many entries the pages have room for (for tests). */
    int capacity() {
        return pages * PAGE_SIZE;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The entry due first (of those due at once, the first added), or null if the heap is empty. */
    Object first() {
        return size == 0 ? null : entries[0][0];
    }

    /** When the first entry is due; the heap must not be empty. */
    long firstWhen() {
        return whens[0][0];
    }

    /** Adds {@code entry}, due at {@code when}; of entries due at once, lower {@code order} comes first. */
    void add(long when, long order, Object entry) {
        if (size == capacity()) {
            addPage();
        }
        siftUp(size++, when, order, entry);
    }

    /** Removes and returns the first entry; the heap must not be empty. */
    Object poll() {
        Object first = entries[0][0];
        removeAt(0);
        return first;
    }

    /** Removes {@code entry}, if it is in the heap. */
    void remove(Object entry) {
        int index = indexOf(entry);
        if (index >= 0 && index < size && entry(index) == entry) {
            removeAt(index);
        }
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            setIndex(entry(i), NOT_IN_HEAP);
        }
        whens = new long[1][];
        orders = new long[1][];
        entries = new Object[1][];
        pages = 0;
        size = 0;
    }

    private void removeAt(int index) {
        setIndex(entry(index), NOT_IN_HEAP);
        int last = --size;
        long when = when(last);
        long order = order(last);
        Object moved = entry(last);
        entries[last >>> PAGE_BITS][last & SLOT] = null;
        if (index != last) {
            siftDown(index, when, order, moved);
            if (entry(index) == moved) {
                siftUp(index, when, order, moved);
            }
        }
        if (capacity() - size > 2 * PAGE_SIZE) {
            dropPage(); // keeping one spare page, so that a heap at a page's edge does not churn
        }
    }

    private void siftUp(int index, long when, long order, Object entry) {
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            long parentWhen = when(parent);
            long parentOrder = order(parent);
            if (!before(when, order, parentWhen, parentOrder)) {
                break;
            }
            put(index, parentWhen, parentOrder, entry(parent));
            index = parent;
        }
        put(index, when, order, entry);
    }

    private void siftDown(int index, long when, long order, Object entry) {
        int half = size >>> 1; // the first index without children
        while (index < half) {
            int child = 2 * index + 1;
            long childWhen = when(child);
            long childOrder = order(child);
            int right = child + 1;
            if (right < size) {
                long rightWhen = when(right);
                long rightOrder = order(right);
                if (before(rightWhen, rightOrder, childWhen, childOrder)) {
                    child = right;
                    childWhen = rightWhen;
                    childOrder = rightOrder;
                }
            }
            if (!before(childWhen, childOrder, when, order)) {
                break;
            }
            put(index, childWhen, childOrder, entry(child));
            index = child;
        }
        put(index, when, order, entry);
    }

    private long when(int index) {
        return whens[index >>> PAGE_BITS][index & SLOT];
    }

    private long order(int index) {
        return orders[index >>> PAGE_BITS][index & SLOT];
    }

    private Object entry(int index) {
        return entries[index >>> PAGE_BITS][index & SLOT];
    }

    private void put(int index, long when, long order, Object entry) {
        int page = index >>> PAGE_BITS;
        int slot = index & SLOT;
        whens[page][slot] = when;
        orders[page][slot] = order;
        entries[page][slot] = entry;
        setIndex(entry, index);
    }

    private static boolean before(long when, long order, long otherWhen, long otherOrder) {
        return when < otherWhen || (when == otherWhen && order < otherOrder);
    }

    private void addPage() {
        if (pages == entries.length) {
            whens = Arrays.copyOf(whens, 2 * pages);
            orders = Arrays.copyOf(orders, 2 * pages);
            entries = Arrays.copyOf(entries, 2 * pages);
        }
        whens[pages] = new long[PAGE_SIZE];
        orders[pages] = new long[PAGE_SIZE];
        entries[pages] = new Object[PAGE_SIZE];
        pages++;
    }

    private void dropPage() {
        pages--;
        whens[pages] = null;
        orders[pages] = null;
        entries[pages] = null;
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
