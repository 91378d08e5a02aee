package io.jasyncio.examples.chat;

import io.jasyncio.EventLoop;
import io.jasyncio.SelectorEventLoop;

import java.util.function.Supplier;

/**
 * The command-line options the chat server and client share: {@code --host HOST} (default
 * 127.0.0.1), {@code --port PORT} (default 8888; 0 lets the server take any free port) and
 * {@code --loop epoll|nio} (default: epoll where jasyncio's native library loads, else NIO).
 *
 * @param host the address to listen on or connect to
 * @param port the port
 * @param backend the loop's backend; null for the default
 */
public record ChatOptions(String host, int port, SelectorEventLoop.Backend backend) {

    /** The port when none is given. */
    public static final int DEFAULT_PORT = 8888;

    /**
     * Reads the options.
     *
     * @param args the command line, e.g. {@code --port 9000 --loop nio}
     * @return the options
     * @throws IllegalArgumentException with a message for the user, for anything else
     */
    public static ChatOptions parse(String... args) {
        String host = "127.0.0.1";
        int port = DEFAULT_PORT;
        SelectorEventLoop.Backend backend = null;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!name.equals("--host") && !name.equals("--port") && !name.equals("--loop")) {
                throw new IllegalArgumentException("unknown option " + name);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String value = args[++i];
            switch (name) {
                case "--host" -> host = value;
                case "--port" -> {
                    try {
                        port = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--port: not a number: " + value);
                    }
                    if (port < 0 || port > 65535) {
                        throw new IllegalArgumentException("--port: out of range: " + value);
                    }
                }
                case "--loop" -> backend = switch (value) {
                    case "epoll" -> SelectorEventLoop.Backend.EPOLL;
                    case "nio" -> SelectorEventLoop.Backend.NIO;
                    default -> throw new IllegalArgumentException("--loop: epoll or nio, not " + value);
                };
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        return new ChatOptions(host, port, backend);
    }

    /**
     * What makes the loop these options ask for.
     *
     * @return a loop factory for {@code Asyncio.run}
     */
    public Supplier<EventLoop> loopFactory() {
        return backend == null ? SelectorEventLoop::new : () -> new SelectorEventLoop(backend);
    }

    /** The usage text both programs print for a bad command line. */
    static final String USAGE_OPTIONS = "[--host HOST] [--port PORT] [--loop epoll|nio]";
}
