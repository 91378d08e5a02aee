package io.jasyncio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Signal handlers where the test's own JVM cannot be used: INT (and the JVM's handler coming
 * back), the {@code -Xrs} native fallback, and INT inherited as ignored. Each runs
 * {@link SignalProbe} in a JVM this test starts and sends it real signals by PID (never to the
 * test's own JVM).
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SignalProcessTest {

    private record Outcome(int exitCode, List<String> lines) {
    }

    /** What to do when the probe prints a given line. */
    @FunctionalInterface
    private interface Step {
        void run(Process probe) throws IOException, InterruptedException;
    }

    private static List<String> javaCommand(List<String> jvmFlags, String... probeArgs) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("--add-opens");
        command.add("java.base/java.lang=ALL-UNNAMED");
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SignalProbe.class.getName());
        command.addAll(List.of(probeArgs));
        return command;
    }

    private static Outcome run(List<String> command, Map<String, Step> steps) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                Step step = steps.get(line);
                if (step != null) {
                    step.run(p);
                }
            }
        } finally {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        return new Outcome(p.exitValue(), lines);
    }

    private static Step kill(String signal) {
        return p -> {
            Process k = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
            assertTrue(k.waitFor(10, TimeUnit.SECONDS));
            assertEquals(0, k.exitValue(), "kill -" + signal + " failed");
        };
    }

    @Test
    void shouldRunAnIntHandlerAndThenGiveIntBackToTheJvmsShutdown() throws Exception {
        Outcome o = run(javaCommand(List.of(), "int", "EPOLL"),
                Map.of("ready", kill("INT"), "waiting", kill("INT")));
        assertEquals(List.of(
                "after Asyncio.run, JVM handler back: true",
                "mechanism JDK",
                "ready",
                "SIGINT on the loop thread: true",
                "removed: true",
                "JVM handler back: true",
                "waiting",
                "shutdown hook ran"), o.lines());
        assertEquals(130, o.exitCode(), "the JVM's own SIGINT handling exits with 128 + 2");
    }

    @ParameterizedTest
    @EnumSource(SelectorEventLoop.Backend.class)
    void shouldHandleIntAndTermUnderXrsThroughTheNativeFallback(SelectorEventLoop.Backend backend) throws Exception {
        assumeTrue(io.jasyncio.internal.natives.NativeLibrary.isAvailable(), "needs the native library");
        Outcome o = run(javaCommand(List.of("-Xrs"), "xrs", backend.name()),
                Map.of("ready", kill("INT"), "SIGINT on the loop thread: true", kill("TERM"),
                        "waiting", kill("TERM")));
        assertEquals(List.of(
                "mechanism NATIVE NATIVE",
                "ready",
                "SIGINT on the loop thread: true",
                "SIGTERM on the loop thread: true",
                "removed: true true",
                "watcher stopped: true",
                "waiting"), o.lines());
        assertEquals(128 + 15, o.exitCode(), "TERM's default disposition must be back: it ends the process");
    }

    @ParameterizedTest
    @EnumSource(SelectorEventLoop.Backend.class)
    void shouldHandleUsr1AndARealTimeSignalUnderXrsThroughTheNativeFallback(SelectorEventLoop.Backend backend)
            throws Exception {
        // Under -Xrs the JDK accepts a USR1 handler and never runs it (no thread delivers).
        assumeTrue(io.jasyncio.internal.natives.NativeLibrary.isAvailable(), "needs the native library");
        String rt = Integer.toString(io.jasyncio.internal.signal.SignalNumbers.number("RTMIN+2"));
        Outcome o = run(javaCommand(List.of("-Xrs"), "xrs-usr1-rt", backend.name()),
                Map.of("mechanism JDK NATIVE", p -> {
                            p.destroyForcibly();
                            throw new AssertionError("USR1 went to the JDK, which never delivers it under -Xrs");
                        },
                        "ready", kill("USR1"), "SIGUSR1 on the loop thread: true", kill(rt),
                        "waiting", kill("USR1")));
        assertEquals(List.of(
                "mechanism NATIVE NATIVE",
                "ready",
                "SIGUSR1 on the loop thread: true",
                "SIGRTMIN+2 on the loop thread: true",
                "removed: true true",
                "watcher stopped: true",
                "waiting"), o.lines());
        assertEquals(128 + 10, o.exitCode(), "USR1's default disposition must be back: it ends the process");
    }

    @Test
    void shouldSayWhyWhenTheFallbackIsNeededAndTheNativeLibraryIsMissing() throws Exception {
        Outcome o = run(javaCommand(List.of("-Xrs", "-Djasyncio.native.path=/nonexistent/libjasyncio.so"),
                "nonative"), Map.of());
        List<String> said = o.lines().stream().filter(l -> l.startsWith("probe: ")).toList();
        assertEquals(5, said.size(), o.lines().toString());
        assertEquals("probe: backend NIO", said.get(0));
        // Under -Xrs the JDK delivers no signal to Java, whether it refuses it (INT) or not (WINCH).
        assertTrue(said.get(1).startsWith("probe: refused SIGWINCH (28) cannot reach a Java handler in a JVM run "
                + "with -Xrs, and jasyncio's native fallback is unavailable: "), said.get(1));
        assertTrue(said.get(2).startsWith("probe: refused SIGINT (2) cannot reach a Java handler in a JVM run "
                + "with -Xrs, and jasyncio's native fallback is unavailable: "), said.get(2));
        assertEquals("probe: refused invalid signal: unknown signal name 'RTMIN'", said.get(3));
        assertTrue(said.get(4).startsWith("probe: refused signal 40 has no name the JDK knows, and jasyncio's "
                + "native fallback is unavailable: "), said.get(4));
        assertEquals(0, o.exitCode());
    }

    @Test
    void shouldRefuseAnIntInheritedAsIgnoredAndKeepItIgnored() throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", "-c", "trap '' INT; exec \"$@\"", "sh"));
        command.addAll(javaCommand(List.of(), "ignored"));
        Outcome o = run(command, Map.of("ready", p -> {
            kill("INT").run(p);
            try (OutputStream in = p.getOutputStream()) {
                in.write("go\n".getBytes(StandardCharsets.UTF_8));
            }
        }));
        assertEquals(List.of(
                "refused: SIGINT (2) was ignored when this JVM started (nohup, or a background job of a "
                        + "non-interactive shell), and the JVM keeps it ignored: a handler would never run. "
                        + "It stays ignored; start the JVM without ignoring it.",
                "mechanism null",
                "still ignored: true",
                "ready",
                "read go",
                "survived"), o.lines());
        assertEquals(0, o.exitCode());
    }
}
