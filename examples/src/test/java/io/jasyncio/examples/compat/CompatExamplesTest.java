package io.jasyncio.examples.compat;

import com.sun.net.httpserver.HttpServer;
import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.SelectorEventLoop;
import io.jasyncio.compat.Asyncore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seed's asyncore and asynchat examples run and print what their Python originals do (SPEC 12). */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CompatExamplesTest {

    private static <T> String capture(Callable<T> body) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            body.call();
        } finally {
            System.setOut(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void asyncoreHttpClientFetchesFromTheLocalServer() throws Exception {
        HttpServer server = AsyncoreHttpClient.localServer();
        EventLoop loop = new SelectorEventLoop();
        Asyncio.setEventLoop(loop);
        try {
            String out = capture(() -> AsyncoreHttpClient.fetch("127.0.0.1", server.getAddress().getPort(), "/docs"));
            assertTrue(out.startsWith("HTTP/1.1 200 OK\r\n"), out);
            assertTrue(out.endsWith("\r\n\r\nHello from /docs\n"), out);
            assertTrue(Asyncore.socketMap().isEmpty());
        } finally {
            Asyncio.setEventLoop(null);
            loop.close();
            server.stop(0);
        }
    }

    @Test
    void asyncoreEchoServerEchoesToATaskOnTheSameLoop() throws Exception {
        String out = capture(AsyncoreEchoServer::demo);
        List<String> lines = out.lines().toList();
        assertEquals(2, lines.size(), out);
        assertTrue(lines.get(0).startsWith("Incoming connection from /127.0.0.1:"), out);
        assertEquals("Echoed: Hello, asyncore!", lines.get(1));
        assertTrue(Asyncore.socketMap().isEmpty());
    }

    @Test
    void asynchatHttpHandlerReadsHeadersThenACountedBody() throws Exception {
        String out = capture(AsynchatHttpHandler::demo);
        assertEquals(List.of("HTTP/1.0 200 OK: GET /index.html",
                "HTTP/1.0 200 OK: POST /form with 12 bytes: name=jasynci"), out.lines().toList());
        assertTrue(Asyncore.socketMap().isEmpty());
    }
}
