package io.jasyncio.examples.udp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seed's UDP echo server and client run against each other and print what asyncio's do (SPEC 12). */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UdpEchoExamplesTest {

    @Test
    void clientAndServerEchoHelloWorld() throws Exception {
        int port;
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            CompletableFuture<Void> ready = new CompletableFuture<>();
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try {
                    UdpEchoServer.serve(port, 1, () -> ready.complete(null));
                } catch (Exception e) {
                    ready.completeExceptionally(e);
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            ready.get(30, TimeUnit.SECONDS);
            UdpEchoClient.main(new String[] {Integer.toString(port)});
            served.get(30, TimeUnit.SECONDS);
        } finally {
            System.setOut(saved);
        }
        List<String> lines = List.of(bytes.toString(StandardCharsets.UTF_8).split("\n"));
        List<String> client = lines.stream().filter(l -> !l.startsWith("Received '") && !l.startsWith("Send '")
                && !l.equals("Starting UDP server")).toList();
        assertEquals(List.of("Send: Hello World!", "Received: Hello World!", "Close the socket", "Connection closed"),
                client);
        List<String> server = lines.stream().filter(l -> !client.contains(l)).toList();
        assertEquals(3, server.size(), lines.toString());
        assertEquals("Starting UDP server", server.get(0));
        assertTrue(server.get(1).matches("Received 'Hello World!' from /127\\.0\\.0\\.1:\\d+"), server.get(1));
        assertTrue(server.get(2).matches("Send 'Hello World!' to /127\\.0\\.0\\.1:\\d+"), server.get(2));
    }
}
