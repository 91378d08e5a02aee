package io.jasyncio.bench.servers;

import io.jasyncio.EventLoop;
import io.jasyncio.IdleStrategy;
import io.jasyncio.Protocol;
import io.jasyncio.SelectorEventLoop;
import io.jasyncio.Server;
import io.jasyncio.ServerOptions;
import io.jasyncio.Transport;

import java.nio.ByteBuffer;

/**
 * jasyncio's echo server on the protocol API (the fast path): one loop on the main thread, each
 * read written straight back from the loop's read buffer (the transport copies only what the
 * kernel does not take at once).
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar \
 *     io.jasyncio.bench.servers.ProtocolEchoServer PORT [epoll|nio] [block|spin|busy]</pre>
 *
 * <p>Started by {@code bench/servers.sh echo protocol-epoll PORT} (or {@code protocol-nio},
 * {@code protocol-epoll-spin}: {@link IdleStrategy#spin} of {@value #SPINS} polls,
 * {@code protocol-epoll-busy}: {@link IdleStrategy#busySpin}).
 * Listens on 127.0.0.1:PORT until SIGTERM or SIGINT.
 */
public final class ProtocolEchoServer {

    /** Zero-timeout polls before blocking under the spin strategy (about 0.2 ms of spinning). */
    static final int SPINS = 1000;

    private ProtocolEchoServer() {}

    /** Writes back what it reads. */
    static final class Echo implements Protocol {
        private Transport transport;

        @Override
        public void connectionMade(Transport transport) {
            this.transport = transport;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            transport.write(data);
        }
    }

    /**
     * Runs the server.
     *
     * @param args the port, then {@code epoll} (default) or {@code nio}, then the idle strategy:
     *        {@code block} (default), {@code spin} or {@code busy}
     */
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        SelectorEventLoop.Backend backend = args.length > 1 && args[1].equals("nio")
                ? SelectorEventLoop.Backend.NIO : SelectorEventLoop.Backend.EPOLL;
        EventLoop loop = new SelectorEventLoop(backend);
        String idle = args.length > 2 ? args[2] : "block";
        loop.setIdleStrategy(switch (idle) {
            case "spin" -> IdleStrategy.spin(SPINS);
            case "busy" -> IdleStrategy.busySpin();
            default -> IdleStrategy.block();
        });
        Server server = loop.runUntilComplete(loop.createServer(Echo::new,
                ServerOptions.on("127.0.0.1", port).backlog(1024)));
        System.err.println("jasyncio protocol echo server (" + backend.name().toLowerCase() + ", " + idle + ") on 127.0.0.1:" + port);
        loop.runUntilComplete(server.serveForever());
    }
}
