package io.jasyncio.examples.compat;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Socket;
import io.jasyncio.Task;
import io.jasyncio.compat.Asyncore;
import io.jasyncio.compat.Dispatcher;
import io.jasyncio.compat.DispatcherWithSend;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The seed's asyncore example "basic echo server" (Python's asyncore documentation). Given a
 * port it serves until killed; without one it shows the server and a client side by side on one
 * loop: the client is a jasyncio task using the {@code sock*} calls, the server old-style
 * dispatchers served by {@code Asyncore.loop} in another task.
 *
 * <pre>examples: java ... io.jasyncio.examples.compat.AsyncoreEchoServer [PORT]</pre>
 */
public final class AsyncoreEchoServer {
    private AsyncoreEchoServer() {
    }

    /** Python's {@code EchoHandler(asyncore.dispatcher_with_send)}. */
    static final class EchoHandler extends DispatcherWithSend {
        EchoHandler(Socket sock) {
            super(sock, null);
        }

        @Override
        public void handleRead() throws Exception {
            byte[] data = recv(8192);
            if (data.length > 0) {
                send(data);
            }
        }

        @Override
        public void handleClose() throws Exception {
            close();
        }
    }

    /** Python's {@code EchoServer(asyncore.dispatcher)}. */
    static final class EchoServer extends Dispatcher {
        EchoServer(String host, int port) throws Exception {
            createSocket();
            setReuseAddr();
            bind(new InetSocketAddress(host, port));
            listen(5);
        }

        @Override
        public void handleAccepted(Socket sock, SocketAddress addr) {
            System.out.println("Incoming connection from " + addr);
            new EchoHandler(sock);
        }
    }

    /**
     * The server and a client on one loop: the client sends a line, prints the echo, and closes
     * the server, which ends {@code Asyncore.loop}.
     *
     * @return what the client got back
     * @throws Exception if it fails
     */
    static String demo() throws Exception {
        return Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            EchoServer server = new EchoServer("127.0.0.1", 0);
            SocketAddress address = server.socket().localAddress();
            Task<Void> serving = Asyncio.createTask(() -> {
                Asyncore.loop(0.5);
                return null;
            });
            try (Socket client = Socket.open(loop, Socket.Family.INET, Socket.Type.STREAM)) {
                loop.sockConnect(client, address).await();
                loop.sockSendall(client, "Hello, asyncore!".getBytes(StandardCharsets.UTF_8)).await();
                StringBuilder echo = new StringBuilder();
                while (echo.length() < 16) {
                    echo.append(new String(loop.sockRecv(client, 100).await(), StandardCharsets.UTF_8));
                }
                System.out.println("Echoed: " + echo);
                server.close();
                client.close();
                serving.await();
                return echo.toString();
            }
        });
    }

    /**
     * Runs the example.
     *
     * @param args an optional port to serve on (forever)
     * @throws Exception if it fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 1) {
            new EchoServer(InetAddress.getLoopbackAddress().getHostAddress(), Integer.parseInt(args[0]));
            Asyncore.loop();
            return;
        }
        demo();
    }
}
