package io.jasyncio.examples.seed;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed's TCP echo client and server with streams (SPEC 12): the server runs in a child JVM
 * (it serves forever) on a free port, the client here; both print what the seed's print.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TcpEchoStreamsTest {
    private static final Pattern SERVING = Pattern.compile("Serving on /127\\.0\\.0\\.1:(\\d+)");

    @Test
    void clientAndServerEchoHelloWorld() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process server = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), TcpEchoServerStreams.class.getName(), "0")
                .redirectErrorStream(true).start();
        List<String> serverLines = new ArrayList<>();
        List<String> clientLines;
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            String first = out.readLine();
            Matcher m = SERVING.matcher(String.valueOf(first));
            assertTrue(m.matches(), "server said: " + first);
            clientLines = runClient(m.group(1));
            for (String line; serverLines.size() < 3 && (line = out.readLine()) != null; ) {
                serverLines.add(line);
            }
        } finally {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        assertEquals(List.of("Send: 'Hello World!'", "Received: 'Hello World!'", "Close the connection"),
                clientLines);
        assertEquals(3, serverLines.size(), serverLines.toString());
        assertTrue(serverLines.get(0).matches("Received 'Hello World!' from /127\\.0\\.0\\.1:\\d+"),
                serverLines.get(0));
        assertEquals(List.of("Send: 'Hello World!'", "Close the connection"), serverLines.subList(1, 3));
    }

    private static synchronized List<String> runClient(String port) {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            TcpEchoClientStreams.main(new String[] {port});
        } finally {
            System.setOut(saved);
        }
        return List.of(bytes.toString(StandardCharsets.UTF_8).split("\n"));
    }
}
