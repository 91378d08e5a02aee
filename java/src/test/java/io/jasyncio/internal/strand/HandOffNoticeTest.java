package io.jasyncio.internal.strand;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Without {@code --add-opens java.base/java.lang}, jasyncio says once, in one short sentence that
 * names the fix, that tasks use the slower hand-off; the JDK's exception text stays out of it.
 * In a child JVM started without the flag (never this test's own JVM, which has it).
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HandOffNoticeTest {

    @Test
    void theNoticeIsOneShortSentenceThatNamesTheFlag() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Path err = Files.createTempFile("jasyncio-notice", ".stderr");
        try {
            Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), HandOffNoticeProbe.class.getName())
                    .redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), out + stderr);
            assertEquals("ran on HAND_OFF", out.strip());

            List<String> notices = stderr.lines().filter(l -> l.contains("hand-off")).toList();
            assertEquals(1, notices.size(), stderr);
            String notice = notices.get(0).replaceFirst("^INFO: ", "");
            assertTrue(notice.contains("--add-opens java.base/java.lang=ALL-UNNAMED"), notice);
            assertTrue(notice.endsWith("."), notice);
            assertFalse(notice.substring(0, notice.length() - 1).matches(".*[.!?] .*"),
                    "more than one sentence: " + notice);
            assertTrue(notice.length() <= 160, "not short: " + notice.length() + " characters: " + notice);
            assertFalse(stderr.contains("Exception"), stderr);
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
