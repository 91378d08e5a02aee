package io.jasyncio;

import java.util.Arrays;

/**
 * The loop's scheduled timers: a binary min-heap ordered by deadline, then by scheduling order.
 * Each handle knows its slot, so a cancelled timer leaves the heap at once (O(log n)) instead of
 * lingering until it falls due. Not thread safe: loop thread only.
 */
final class TimerHeap {
    private TimerHandle[] heap = new TimerHandle[64];
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    TimerHandle peek() {
        return size == 0 ? null : heap[0];
    }

    void add(TimerHandle h) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = h;
        h.heapIndex = size;
        size++;
        siftUp(size - 1);
    }

    TimerHandle poll() {
        if (size == 0) {
            return null;
        }
        TimerHandle top = heap[0];
        removeAt(0);
        return top;
    }

    /** Removes {@code h} if it is in this heap; returns whether it was. */
    boolean remove(TimerHandle h) {
        int i = h.heapIndex;
        if (i < 0 || i >= size || heap[i] != h) {
            return false;
        }
        removeAt(i);
        return true;
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            heap[i].heapIndex = -1;
            heap[i] = null;
        }
        size = 0;
        if (heap.length > 1024) {
            heap = new TimerHandle[64];
        }
    }

    /** The capacity of the backing array, for tests that check the heap shrinks back. */
    int capacity() {
        return heap.length;
    }

    private void removeAt(int i) {
        TimerHandle removed = heap[i];
        removed.heapIndex = -1;
        size--;
        if (i != size) {
            TimerHandle last = heap[size];
            heap[i] = last;
            last.heapIndex = i;
            heap[size] = null;
            siftDown(i);
            if (heap[i] == last) {
                siftUp(i);
            }
        } else {
            heap[size] = null;
        }
        if (heap.length > 1024 && size < heap.length / 4) {
            heap = Arrays.copyOf(heap, heap.length / 2);
        }
    }

    private void siftUp(int i) {
        TimerHandle h = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            TimerHandle p = heap[parent];
            if (h.compareTo(p) >= 0) {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = h;
        h.heapIndex = i;
    }

    private void siftDown(int i) {
        TimerHandle h = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && heap[right].compareTo(heap[child]) < 0) {
                child = right;
            }
            if (h.compareTo(heap[child]) <= 0) {
                break;
            }
            heap[i] = heap[child];
            heap[i].heapIndex = i;
            i = child;
        }
        heap[i] = h;
        h.heapIndex = i;
    }
}
