package io.jasyncio.examples.udp;

import io.jasyncio.Asyncio;
import io.jasyncio.DatagramEndpoint;
import io.jasyncio.DatagramOptions;
import io.jasyncio.DatagramProtocol;
import io.jasyncio.DatagramTransport;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.ReturnWhen;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The seed's "UDP echo server protocol": each datagram goes back to its sender. Usage:
 * {@code UdpEchoServer [port [datagrams]]} (port 9999 by default; it serves for an hour, or until
 * it has echoed {@code datagrams} datagrams).
 */
public final class UdpEchoServer {
    private UdpEchoServer() {
    }

    /** Echoes every datagram, and completes {@code done} after the {@code limit}-th. */
    static final class EchoServerProtocol implements DatagramProtocol {
        private final Future<Void> done;
        private final long limit;
        private long echoed;
        private DatagramTransport transport;

        EchoServerProtocol(Future<Void> done, long limit) {
            this.done = done;
            this.limit = limit;
        }

        @Override
        public void connectionMade(DatagramTransport transport) {
            this.transport = transport;
        }

        @Override
        public void datagramReceived(ByteBuffer data, SocketAddress address) {
            String message = StandardCharsets.UTF_8.decode(data.duplicate()).toString();
            System.out.println("Received '" + message + "' from " + address);
            System.out.println("Send '" + message + "' to " + address);
            transport.sendto(data, address);
            if (++echoed == limit) {
                done.setResult(null);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9999;
        long limit = args.length > 1 ? Long.parseLong(args[1]) : Long.MAX_VALUE;
        serve(port, limit, () -> {
        });
    }

    /**
     * Serves on {@code 127.0.0.1:port}.
     *
     * @param port the UDP port
     * @param limit how many datagrams to echo before stopping
     * @param ready run on the loop's thread once the endpoint is bound
     * @throws Exception if the endpoint cannot be made
     */
    public static void serve(int port, long limit, Runnable ready) throws Exception {
        Asyncio.run(() -> {
            System.out.println("Starting UDP server");
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Void> done = loop.createFuture();
            // One protocol instance serves all clients.
            DatagramEndpoint<EchoServerProtocol> endpoint = loop.createDatagramEndpoint(
                    () -> new EchoServerProtocol(done, limit),
                    new DatagramOptions().localAddr(new InetSocketAddress("127.0.0.1", port))).await();
            ready.run();
            try {
                // Serve for an hour, or until enough datagrams were echoed.
                Asyncio.wait(List.of(done, Asyncio.sleep(Duration.ofHours(1))), ReturnWhen.FIRST_COMPLETED).await();
            } finally {
                endpoint.transport().close();
            }
            return null;
        });
    }
}
