package io.jasyncio.examples.chat;

import io.jasyncio.SelectorEventLoop;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The chat server as a program, in a child JVM: SIGTERM or SIGINT tells every client
 * {@code * server shutting down}, closes them, and the JVM exits with status 0, on both loops.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChatSignalTest {
    private static final Pattern LISTENING = Pattern.compile("chat server listening on 127\\.0\\.0\\.1:(\\d+) \\((\\w+) loop\\)");

    @ParameterizedTest
    @CsvSource({"epoll, TERM", "nio, TERM", "epoll, INT", "nio, INT"})
    void aSignalShutsTheServerDownCleanly(String loop, String signal) throws Exception {
        assumeTrue(SelectorEventLoop.Backend.valueOf(loop.toUpperCase()).isAvailable(), loop + " is not available");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), ChatServer.class.getName(),
                "--port", "0", "--loop", loop)
                .redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String first = out.readLine();
            output.add(first);
            Matcher m = LISTENING.matcher(String.valueOf(first));
            assertTrue(m.matches(), "first line: " + first);
            assertEquals(loop, m.group(2));
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1)));
            try (ChatPeer named = ChatPeer.join(address, "named");
                 ChatPeer anonymous = ChatPeer.connect(address, "anonymous")) {
                Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
                assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
                assertEquals(0, kill.exitValue());
                for (ChatPeer peer : List.of(named, anonymous)) {
                    peer.expect("* server shutting down");
                    peer.expectEof();
                }
            }
            for (String line; (line = out.readLine()) != null; ) {
                output.add(line);
            }
        } finally {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        assertEquals(0, p.exitValue(), output.toString());
        assertEquals("chat server stopped", output.get(1), output.toString());
        assertEquals(2, output.size(), output.toString());
    }
}
