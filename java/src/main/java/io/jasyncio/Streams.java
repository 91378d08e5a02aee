package io.jasyncio;

import java.util.Objects;

/**
 * asyncio's {@code open_connection}, {@code start_server} and their Unix kin, behind the
 * {@link Asyncio} functions of the same names. Streams are built only on the loop's public
 * connection calls and a {@link StreamReaderProtocol}, as asyncio's are.
 */
final class Streams {
    private Streams() {
    }

    static Future<StreamConnection> openConnection(ConnectOptions options) {
        Objects.requireNonNull(options, "options");
        EventLoop loop = Asyncio.getRunningLoop();
        StreamReader reader = new StreamReader(options.limit(), loop);
        StreamReaderProtocol protocol = new StreamReaderProtocol(reader);
        Future<Connection<StreamReaderProtocol>> made = loop.createConnection(() -> protocol, options);
        return loop.createTask(() -> {
            Connection<StreamReaderProtocol> c = made.await();
            return new StreamConnection(reader, new StreamWriter(c.transport(), protocol, reader, loop));
        }, "openConnection");
    }

    static Future<Server> startServer(StreamHandler handler, ServerOptions options) {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        EventLoop loop = Asyncio.getRunningLoop();
        int limit = options.limit();
        return loop.createServer(() -> new StreamReaderProtocol(new StreamReader(limit, loop), handler), options);
    }

    static ConnectOptions unixConnect(String path, int limit) {
        return new ConnectOptions().unixAddress(NetCalls.unixAddress(path)).limit(limit);
    }

    static ServerOptions unixServe(String path, int limit) {
        return new ServerOptions().unixAddress(NetCalls.unixAddress(path)).limit(limit);
    }
}
