package io.jasyncio.examples.net;

import io.jasyncio.EventLoop;
import io.jasyncio.SelectorEventLoop;
import io.jasyncio.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The network examples run and print what asyncio's originals print (SPEC 12). */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NetExamplesTest {

    @Test
    void tcpEchoWithProtocols() throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String clientAddress;
        try (EventLoop loop = new SelectorEventLoop()) {
            Server server = loop.runUntilComplete(TcpEchoServerProtocol.start(loop, 0));
            int port = ((InetSocketAddress) server.sockets().getFirst().localAddress()).getPort();
            clientAddress = loop.runUntilComplete(() -> {
                TcpEchoClientProtocol.talk(loop, port, "Hello World!");
                return null;
            });
            server.close();
            loop.runUntilComplete(server.waitClosed());
        } finally {
            System.setOut(saved);
        }
        List<String> lines = List.of(bytes.toString(StandardCharsets.UTF_8).split("\n"));
        assertTrue(lines.contains("Data sent: Hello World!"), lines.toString());
        assertTrue(lines.getFirst().startsWith("Data sent") || lines.getFirst().startsWith("Connection from /127.0.0.1:"),
                lines.toString());
        assertEquals(List.of("Data received: Hello World!", "Send: Hello World!", "Close the client socket",
                "Data received: Hello World!", "The server closed the connection"),
                lines.subList(lines.size() - 5, lines.size()));
        assertEquals(null, clientAddress);
    }

    @Test
    void reusePortSpreadsConnectionsOverTheLoops() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        List<ReusePortEchoServer.Worker> workers = ReusePortEchoServer.start(port, 2);
        try {
            for (int i = 0; i < 64; i++) {
                try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
                    OutputStream out = s.getOutputStream();
                    InputStream in = s.getInputStream();
                    out.write(("ping " + i).getBytes(StandardCharsets.UTF_8));
                    byte[] back = in.readNBytes(("ping " + i).length());
                    assertEquals("ping " + i, new String(back, StandardCharsets.UTF_8));
                }
            }
            // The kernel hashes each connection to one of the two listeners: all 64 on one loop
            // would have a probability of 2^-63.
            assertTrue(workers.get(0).connections() > 0 && workers.get(1).connections() > 0,
                    workers.get(0).connections() + " and " + workers.get(1).connections());
        } finally {
            for (ReusePortEchoServer.Worker w : workers) {
                w.stop();
            }
            for (ReusePortEchoServer.Worker w : workers) {
                w.join();
            }
        }
    }
}
