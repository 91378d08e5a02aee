package io.jasyncio.examples.net;

import com.sun.net.httpserver.HttpServer;
import io.jasyncio.Asyncio;
import io.jasyncio.Coroutine;
import io.jasyncio.SelectorEventLoop;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The seed's remaining network examples (SPEC 12) run on each loop and print what asyncio's
 * originals print: registering an open socket (with a protocol, with streams) and fetching HTTP
 * headers (from the JDK's own HTTP server on 127.0.0.1, and from the example's own server).
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NetSeedExamplesTest {

    private static List<String> run(SelectorEventLoop.Backend backend, Coroutine<?> main) {
        assumeTrue(backend.isAvailable(), backend + " is not available here");
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            Asyncio.run(main, null, () -> new SelectorEventLoop(backend));
        } finally {
            System.setOut(saved);
        }
        return List.of(bytes.toString(StandardCharsets.UTF_8).split("\n"));
    }

    @ParameterizedTest
    @EnumSource(SelectorEventLoop.Backend.class)
    void registerAnOpenSocketWithAProtocol(SelectorEventLoop.Backend backend) {
        assertEquals(List.of("Received: abc"), run(backend, RegisterSocketProtocol::waitForData));
    }

    @ParameterizedTest
    @EnumSource(SelectorEventLoop.Backend.class)
    void registerAnOpenSocketWithStreams(SelectorEventLoop.Backend backend) {
        assertEquals(List.of("Received: abc"), run(backend, RegisterSocketStreams::waitForData));
    }

    @ParameterizedTest
    @EnumSource(SelectorEventLoop.Backend.class)
    void fetchHttpHeadersFromTheJdksServer(SelectorEventLoop.Backend backend) throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/hello", exchange -> {
            exchange.getResponseHeaders().add("X-Example", "jasyncio");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        http.start();
        try {
            URI url = URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/hello");
            List<String> lines = run(backend, () -> {
                FetchHttpHeaders.printHttpHeaders(url);
                return null;
            });
            // The JDK server sends a Date header whose value changes: the names are checked.
            assertEquals("HTTP header> HTTP/1.1 200 OK", lines.getFirst());
            assertEquals(List.of("HTTP header> Connection: close", "HTTP header> Date", "HTTP header> X-example: jasyncio"),
                    lines.subList(1, lines.size()).stream()
                            .map(l -> l.startsWith("HTTP header> Date: ") ? "HTTP header> Date" : l).sorted().toList());
        } finally {
            http.stop(0);
        }
    }

    @ParameterizedTest
    @EnumSource(SelectorEventLoop.Backend.class)
    void fetchHttpHeadersFromTheExamplesOwnServer(SelectorEventLoop.Backend backend) {
        List<String> lines = run(backend, FetchHttpHeaders::fetchFromLocalServer);
        assertEquals(List.of("HTTP header> HTTP/1.0 200 OK", "HTTP header> Content-Type: text/plain; charset=utf-8",
                "HTTP header> Server: jasyncio-example"), lines);
    }
}
