/**
 * jasyncio: Python's asyncio for Java, on a JNI-accelerated C core.
 *
 * <p>Run with {@code --enable-native-access=io.jasyncio} (or {@code ALL-UNNAMED} on the class
 * path) so the C core loads without a warning, and {@code --add-opens java.base/java.lang=io.jasyncio}
 * so tasks run as virtual threads scheduled by their loop (otherwise they use a slower hand-off).
 */
module io.jasyncio {
    requires jdk.unsupported;

    exports io.jasyncio;
    exports io.jasyncio.compat;
}
