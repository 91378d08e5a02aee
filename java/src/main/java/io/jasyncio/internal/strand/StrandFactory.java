package io.jasyncio.internal.strand;

/** Makes the strands of one loop's tasks. Loop thread only. */
public interface StrandFactory {
    Strand newStrand(Runnable body);

    /** Which mechanism this factory uses. */
    Strands.Kind kind();
}
