package io.jasyncio.bench.servers;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.SelectorEventLoop;
import io.jasyncio.Server;
import io.jasyncio.ServerOptions;

/**
 * jasyncio's echo server on the streams API: one task per connection reading with
 * {@code reader.read(64 KiB)} and writing back with {@code writer.write} then {@code drain()},
 * the way an asyncio user writes it.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED \
 *     -cp bench/target/benchmarks.jar io.jasyncio.bench.servers.StreamsEchoServer PORT [epoll|nio]</pre>
 *
 * <p>Started by {@code bench/servers.sh echo streams-epoll PORT} (or {@code streams-nio}).
 */
public final class StreamsEchoServer {

    private StreamsEchoServer() {}

    /**
     * Runs the server.
     *
     * @param args the port, then {@code epoll} (default) or {@code nio}
     */
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        SelectorEventLoop.Backend backend = args.length > 1 && args[1].equals("nio")
                ? SelectorEventLoop.Backend.NIO : SelectorEventLoop.Backend.EPOLL;
        EventLoop loop = new SelectorEventLoop(backend);
        Asyncio.setEventLoop(loop);
        Server server = loop.runUntilComplete(() -> Asyncio.startServer((reader, writer) -> {
            try {
                while (true) {
                    byte[] data = reader.read(64 * 1024).await();
                    if (data.length == 0) {
                        break;
                    }
                    writer.write(data);
                    writer.drain().await();
                }
            } catch (java.net.SocketException e) {
                // The load client resets its connections when it ends: not an error here.
            } finally {
                writer.close();
            }
        }, ServerOptions.on("127.0.0.1", port).backlog(1024)).await());
        System.err.println("jasyncio streams echo server (" + backend.name().toLowerCase() + ") on 127.0.0.1:" + port);
        loop.runUntilComplete(server.serveForever());
    }
}
