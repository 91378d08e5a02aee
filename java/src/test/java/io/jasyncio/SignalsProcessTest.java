package io.jasyncio;

import io.jasyncio.internal.natives.NativeLibrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
 * {@link Signals} where the test's own JVM cannot be used: Ctrl-C (INT) with handlers and after
 * the last one is gone, {@link Signals#DEFAULT_INT_HANDLER}, INT inherited as ignored
 * ({@code nohup}) and the {@code -Xrs} fallback. Each runs {@link SignalsProbe} in a JVM this
 * test starts and sends it real signals by PID.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SignalsProcessTest {

    private record Outcome(int exitCode, List<String> lines) {
    }

    @FunctionalInterface
    private interface Step {
        void run(Process probe) throws IOException, InterruptedException;
    }

    private static List<String> javaCommand(List<String> jvmFlags, String mode) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SignalsProbe.class.getName());
        command.add(mode);
        return command;
    }

    private static Outcome run(List<String> command, Map<String, Step> steps) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
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
        return p -> assertEquals(0, LibC.INSTANCE.kill((int) p.pid(), Signal.of(signal).number()), "kill " + signal);
    }

    @Test
    void shouldRunTheShutdownHooksOnCtrlCOnceTheLastHandlerIsGone() throws Exception {
        Outcome o = run(javaCommand(List.of(), "ctrlc"), Map.of("ready", kill("INT"), "waiting", kill("INT")));
        assertEquals(List.of(
                "before: SIG_DFL",
                "ready",
                "loop got it",
                "SIGINT on " + Signals.HANDLER_THREAD_NAME,
                "loop handler removed: true",
                "previous: true",
                "after: SIG_DFL null",
                "waiting",
                "shutdown hook ran"), o.lines());
        assertEquals(130, o.exitCode(), "the JVM's own SIGINT handling exits with 128 + 2");
    }

    @Test
    void shouldInterruptTheMainThreadsLoopAndWithoutOneLetTheJvmShutDown() throws Exception {
        Outcome o = run(javaCommand(List.of(), "default-int"), Map.of("ready", kill("INT"), "waiting", kill("INT")));
        assertEquals(List.of(
                "previous: SIG_DFL",
                "ready",
                "KeyboardInterruptError out of the main thread's loop",
                "waiting",
                "shutdown hook ran"), o.lines());
        assertEquals(130, o.exitCode());
    }

    @Test
    void shouldReportAnIntInheritedAsIgnored() throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", "-c", "trap '' INT; exec \"$@\"", "sh"));
        command.addAll(javaCommand(List.of(), "ignored"));
        Outcome o = run(command, Map.of("ready", p -> {
            kill("INT").run(p);
            try (OutputStream in = p.getOutputStream()) {
                in.write("go\n".getBytes(StandardCharsets.UTF_8));
            }
        }));
        assertEquals(List.of(
                "getsignal: SIG_IGN",
                "refused: SIGINT (2) was ignored when this JVM started (nohup, or a background job of a "
                        + "non-interactive shell), and the JVM keeps it ignored: a handler would never run. "
                        + "It stays ignored; start the JVM without ignoring it.",
                "SIG_IGN again: SIG_IGN",
                "ready",
                "read go",
                "survived",
                "shutdown hook ran"), o.lines());
        assertEquals(0, o.exitCode());
    }

    @Test
    void shouldHandleIntUnderXrsThroughTheNativeFallback() throws Exception {
        assumeTrue(NativeLibrary.isAvailable(), "needs the native library");
        Outcome o = run(javaCommand(List.of("-Xrs"), "xrs"), Map.of("ready", kill("INT"), "waiting", kill("INT")));
        assertEquals(List.of(
                "before: SIG_DFL",
                "mechanism NATIVE",
                "ready",
                "SIGINT on " + Signals.HANDLER_THREAD_NAME,
                "after: SIG_DFL",
                "waiting"), o.lines());
        assertEquals(130, o.exitCode(), "under -Xrs INT's default action ends the process, without hooks");
    }
}
