package io.jasyncio.internal.strand;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JVM whose first loop runs on a virtual thread: its tasks run (on hand-off strands, since no
 * continuation can run on a virtual thread), and the JVM keeps the loop-scheduled mechanism for
 * every other loop, with no fallback notice. In a child JVM, so that jasyncio starts fresh.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class VirtualLoopFirstTest {

    @Test
    void aLoopOnAVirtualThreadFirstRunsItsTasksAndKeepsTheFastMechanism() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), VirtualLoopProbe.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals("42 LOOP_SCHEDULED", out.strip());
        assertFalse(out.contains("hand-off"), out);
    }
}
