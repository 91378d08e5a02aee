package io.jasyncio;

import io.jasyncio.internal.natives.NativeLibrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the default policy picks a loop: -Djasyncio.loop, and the fallback when natives cannot load. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PolicyTest {

    private static SelectorEventLoop.Backend backendWith(String property) {
        String before = System.getProperty(DefaultEventLoopPolicy.LOOP_PROP_NAME);
        System.setProperty(DefaultEventLoopPolicy.LOOP_PROP_NAME, property);
        try (EventLoop loop = new DefaultEventLoopPolicy().newEventLoop()) {
            return ((SelectorEventLoop) loop).backend();
        } finally {
            if (before == null) {
                System.clearProperty(DefaultEventLoopPolicy.LOOP_PROP_NAME);
            } else {
                System.setProperty(DefaultEventLoopPolicy.LOOP_PROP_NAME, before);
            }
        }
    }

    @Test
    void theLoopPropertyChoosesTheBackend() {
        assertTrue(NativeLibrary.isAvailable(), "the C core must load in this build: " + NativeLibrary.unavailableReason());
        assertEquals(SelectorEventLoop.Backend.NIO, backendWith("nio"));
        assertEquals(SelectorEventLoop.Backend.EPOLL, backendWith("epoll"));
        assertEquals(SelectorEventLoop.Backend.EPOLL, backendWith(""), "epoll is the default where it loads");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> backendWith("kqueue-on-linux"));
        assertTrue(e.getMessage().contains("expected epoll or nio"), e.getMessage());
    }

    @Test
    void theMainThreadGetsALoopOnDemandAndOtherThreadsDoNot() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), PolicyProbe.class.getName(), "main-thread")
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the probe JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("main thread gets a loop: true, the same one again: true"), out);
        assertTrue(out.contains("another thread: refused"), out);
    }

    private record Probe(int exitCode, String out, String err) {
    }

    private static Probe runPolicyProbe(String... jvmFlags) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED"));
        command.addAll(List.of(jvmFlags));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), PolicyProbe.class.getName()));
        Process p = new ProcessBuilder(command).start();
        // Small outputs: the pipes cannot fill up before the probe ends.
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the probe JVM did not finish");
        return new Probe(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void withoutTheNativeLibraryTheDefaultPolicyRunsTheNioLoopAndSaysWhyOnce() throws Exception {
        Probe p = runPolicyProbe("-Djasyncio.native.path=/nonexistent/libjasyncio.so");
        assertEquals(0, p.exitCode(), p.toString());
        assertTrue(p.out().contains("backend=NIO") && p.out().contains("ran=yes"), p.toString());
        List<String> reasons = new ArrayList<>();
        for (String line : p.err().split("\n")) {
            if (line.contains("/nonexistent/libjasyncio.so")) {
                reasons.add(line);
            }
        }
        assertEquals(1, reasons.size(), "the reason is logged once: " + p.err());
    }

    @Test
    void anExplicitEpollLoopWhoseLibraryCannotLoadIsRefusedWithTheReason() throws Exception {
        Probe p = runPolicyProbe("-Djasyncio.native.path=/nonexistent/libjasyncio.so", "-Djasyncio.loop=epoll");
        assertEquals(0, p.exitCode(), p.toString());
        assertFalse(p.out().contains("backend="), "no fallback to NIO when epoll was asked for: " + p);
        assertTrue(p.out().contains("refused: -Djasyncio.loop=epoll: jasyncio native library unavailable: "
                + "-Djasyncio.native.path=/nonexistent/libjasyncio.so: no such file"), p.toString());
        assertTrue(p.out().contains("cause: java.lang.UnsatisfiedLinkError"), p.toString());
    }
}
