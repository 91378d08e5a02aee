package io.jasyncio.examples.seed;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.SelectorEventLoop;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The seed's "Watch a file descriptor for read events": wait until a socket receives data with
 * {@code addReader()}, then close the event loop. A connected pair of UNIX-domain sockets plays
 * the seed's {@code socketpair()}; the loop watches the channel, so this runs on the NIO loop
 * (which watches channels) whatever the default loop is.
 */
public final class WatchFdForRead {
    private WatchFdForRead() {
    }

    public static void main(String[] args) throws IOException {
        // Create a pair of connected sockets
        Path dir = Files.createTempDirectory("jasyncio-example");
        Path path = dir.resolve("pair");
        SocketChannel rsock;
        SocketChannel wsock;
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            wsock = SocketChannel.open(UnixDomainSocketAddress.of(path));
            rsock = server.accept();
        } finally {
            Files.deleteIfExists(path);
            Files.deleteIfExists(dir);
        }
        rsock.configureBlocking(false);

        EventLoop loop = new SelectorEventLoop(SelectorEventLoop.Backend.NIO);
        try {
            // Register the channel to wait for data
            loop.addReader(rsock, () -> {
                ByteBuffer data = ByteBuffer.allocate(100);
                try {
                    rsock.read(data);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                System.out.println("Received: " + new String(data.array(), 0, data.position(), StandardCharsets.UTF_8));
                // We are done: unregister the channel
                loop.removeReader(rsock);
                // Stop the event loop
                loop.stop();
            });
            // Simulate the reception of data from the network
            loop.callSoon(() -> {
                try {
                    wsock.write(ByteBuffer.wrap("abc".getBytes(StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            // Run the event loop
            loop.runForever();
        } finally {
            // We are done, close sockets and the event loop
            rsock.close();
            wsock.close();
            loop.close();
        }
    }
}
