package io.jasyncio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ctrl-C during Asyncio.run (SPEC 3), with real SIGINTs sent by PID to a JVM this test starts
 * (never to the test's own JVM).
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SigintTest {

    private record Outcome(int exitCode, List<String> lines) {
    }

    private Outcome runProbe(String mode, int signals) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), SigintProbe.class.getName(), mode)
                .redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            int sent = 0;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                boolean next = line.equals("ready") && sent == 0 || line.equals("main task cancelled") && sent == 1;
                if (next && sent < signals) {
                    kill(p.pid());
                    sent++;
                }
            }
        } finally {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        return new Outcome(p.exitValue(), lines);
    }

    private static void kill(long pid) throws IOException, InterruptedException {
        Process k = new ProcessBuilder("kill", "-INT", Long.toString(pid)).start();
        assertTrue(k.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, k.exitValue(), "kill -INT failed");
    }

    @Test
    void theFirstCtrlCCancelsTheMainTaskAndRunThrowsKeyboardInterrupt() throws Exception {
        Outcome o = runProbe("propagate", 1);
        assertEquals(3, o.exitCode(), o.lines().toString());
        assertEquals(List.of("ready", "main task cancelled", "main task unwound", "KeyboardInterruptError",
                "handler restored: true"), o.lines());
    }

    @Test
    void aMainTaskThatSurvivesTheCancellationEndsTheRunNormally() throws Exception {
        Outcome o = runProbe("survive", 1);
        assertEquals(0, o.exitCode(), o.lines().toString());
        assertEquals(List.of("ready", "main task cancelled", "main task unwound", "returned survived",
                "handler restored: true"), o.lines());
    }

    @Test
    void aSecondCtrlCLeavesTheLoopAtOnce() throws Exception {
        Outcome o = runProbe("twice", 2);
        assertEquals(3, o.exitCode(), o.lines().toString());
        assertEquals(List.of("ready", "main task cancelled", "KeyboardInterruptError", "handler restored: true"),
                o.lines().stream().filter(l -> !l.equals("main task unwound")).toList());
    }
}
