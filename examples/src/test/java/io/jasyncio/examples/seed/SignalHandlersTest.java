package io.jasyncio.examples.seed;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The signal example in a child JVM, stopped by a real SIGINT or SIGTERM sent to its PID. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SignalHandlersTest {

    private static List<String> runAndSignal(String signal) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), SignalHandlers.class.getName())
                .redirectErrorStream(true).start();
        Thread.ofVirtual().start(() -> {
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        });
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(line);
                if (line.startsWith("pid ")) {
                    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
                    assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
                }
            }
        } finally {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        assertEquals(0, p.exitValue(), lines.toString());
        return lines;
    }

    @Test
    void sigintStopsTheLoop() throws Exception {
        List<String> lines = runAndSignal("INT");
        assertEquals("Event loop running forever, press Ctrl+C to interrupt.", lines.get(0));
        assertTrue(lines.get(1).matches("pid \\d+: send SIGINT or SIGTERM to exit\\."), lines.get(1));
        assertEquals("got signal SIGINT: exit", lines.get(2));
        assertEquals(3, lines.size(), lines.toString());
    }

    @Test
    void sigtermStopsTheLoop() throws Exception {
        List<String> lines = runAndSignal("TERM");
        assertEquals("got signal SIGTERM: exit", lines.get(2));
    }
}
