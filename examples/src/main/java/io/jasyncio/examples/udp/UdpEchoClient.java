package io.jasyncio.examples.udp;

import io.jasyncio.Asyncio;
import io.jasyncio.DatagramEndpoint;
import io.jasyncio.DatagramOptions;
import io.jasyncio.DatagramProtocol;
import io.jasyncio.DatagramTransport;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The seed's "UDP echo client protocol": sends one message to the echo server, prints the answer
 * and closes. Usage: {@code UdpEchoClient [port]} (9999 by default).
 */
public final class UdpEchoClient {
    private UdpEchoClient() {
    }

    static final class EchoClientProtocol implements DatagramProtocol {
        private final String message;
        private final Future<Boolean> onConLost;
        private DatagramTransport transport;

        EchoClientProtocol(String message, Future<Boolean> onConLost) {
            this.message = message;
            this.onConLost = onConLost;
        }

        @Override
        public void connectionMade(DatagramTransport transport) {
            this.transport = transport;
            System.out.println("Send: " + message);
            transport.sendto(message.getBytes(StandardCharsets.UTF_8), null);
        }

        @Override
        public void datagramReceived(ByteBuffer data, SocketAddress address) {
            System.out.println("Received: " + StandardCharsets.UTF_8.decode(data));
            System.out.println("Close the socket");
            transport.close();
        }

        @Override
        public void errorReceived(IOException exc) {
            System.out.println("Error received: " + exc);
        }

        @Override
        public void connectionLost(Throwable exc) {
            System.out.println("Connection closed");
            onConLost.setResult(true);
        }
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9999;
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Boolean> onConLost = loop.createFuture();
            String message = "Hello World!";
            DatagramEndpoint<EchoClientProtocol> endpoint = loop.createDatagramEndpoint(
                    () -> new EchoClientProtocol(message, onConLost),
                    new DatagramOptions().remoteAddr(new InetSocketAddress("127.0.0.1", port))).await();
            try {
                onConLost.await();
            } finally {
                endpoint.transport().close();
            }
            return null;
        });
    }
}
