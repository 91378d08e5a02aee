package io.jasyncio.internal.natives;

/**
 * Searches over native memory (native/mmap_find.c): {@code memmem} forward, a Horspool search
 * backward. The caller keeps both ranges mapped until the call returns: an address that is no
 * longer mapped crashes the process instead of throwing.
 *
 * <p>Thread safe.
 */
public final class MmapFind {

    static {
        NativeLibrary.ensureLoaded();
    }

    private MmapFind() {
    }

    /**
     * The first occurrence of a needle in a haystack.
     *
     * @param haystack the haystack's address
     * @param haystackLength its length
     * @param needle the needle's address
     * @param needleLength its length (an empty needle is found at 0)
     * @return the needle's offset from {@code haystack}, or -1 when it is absent
     */
    public static long find(long haystack, long haystackLength, long needle, long needleLength) {
        return result("memmem", find0(haystack, haystackLength, needle, needleLength));
    }

    /**
     * The last occurrence of a needle in a haystack.
     *
     * @param haystack the haystack's address
     * @param haystackLength its length
     * @param needle the needle's address
     * @param needleLength its length (an empty needle is found at {@code haystackLength})
     * @return the needle's offset from {@code haystack}, or -1 when it is absent
     */
    public static long rfind(long haystack, long haystackLength, long needle, long needleLength) {
        return result("rfind", rfind0(haystack, haystackLength, needle, needleLength));
    }

    private static long result(String call, long rc) {
        if (rc >= 0) {
            return rc;
        }
        if (rc == -Errors.ENOENT) {
            return -1;
        }
        // Only bad arguments get here, and MappedFile checks them first.
        throw new IllegalArgumentException(Errors.message(call, (int) rc));
    }

    static native long find0(long haystack, long haystackLength, long needle, long needleLength);

    static native long rfind0(long haystack, long haystackLength, long needle, long needleLength);
}
