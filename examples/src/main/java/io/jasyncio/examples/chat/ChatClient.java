package io.jasyncio.examples.chat;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.StreamConnection;
import io.jasyncio.StreamReader;
import io.jasyncio.StreamWriter;
import io.jasyncio.Task;
import io.jasyncio.TaskGroup;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The chat room's client: what you type goes to the server, what the server sends is printed.
 *
 * <pre>examples/chat client [--host HOST] [--port PORT] [--loop epoll|nio]</pre>
 *
 * <p>Two tasks in one {@link TaskGroup}: one copies the socket to the terminal, the other the
 * terminal to the socket. Reading the terminal blocks, so each line is read on a thread of its own
 * ({@code loop.runInExecutor}, asyncio's {@code run_in_executor}) while the task awaits it. The
 * client ends when the server closes the connection (after {@code /quit}, or at shutdown); at the
 * end of its input it sends {@code /quit} and waits for the server's {@code * bye}.
 */
public final class ChatClient {
    private ChatClient() {
    }

    /**
     * Connects and copies lines both ways until the server closes the connection. Call it in a task.
     *
     * @param host the server's address
     * @param port the server's port
     * @param in what the user types, one line per message
     * @param out where the server's lines go
     * @throws Exception if the connection cannot be made or breaks
     */
    public static void talk(String host, int port, InputStream in, PrintStream out) throws Exception {
        EventLoop loop = Asyncio.getRunningLoop();
        StreamConnection conn = Asyncio.openConnection(host, port).await();
        StreamReader reader = conn.reader();
        StreamWriter writer = conn.writer();
        // The terminal is read on a daemon thread: a read blocked there can be given up when the
        // server goes away, and does not keep the program from exiting (the loop's default
        // executor is waited for when Asyncio.run ends).
        ExecutorService keyboardThread = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("chat-stdin").factory());
        BufferedReader keyboard = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        try {
            TaskGroup.run(tg -> {
                Task<Void> typing = tg.createTask(() -> {
                    while (true) {
                        String typed = loop.runInExecutor(keyboardThread, keyboard::readLine).await();
                        String send = typed == null ? "/quit" : typed;
                        writer.write((send + "\n").getBytes(StandardCharsets.UTF_8));
                        writer.drain().await();
                        if (typed == null || typed.strip().equals("/quit")) {
                            return null; // the server answers "* bye" and closes
                        }
                    }
                }, "keyboard");
                tg.createTask(() -> {
                    byte[] line;
                    while ((line = reader.readline().await()).length > 0) {
                        out.print(new String(line, StandardCharsets.UTF_8));
                        out.flush();
                    }
                    typing.cancel(); // the server closed the connection: stop waiting for input
                    return null;
                }, "screen");
                return null;
            });
        } finally {
            writer.close();
            keyboardThread.shutdownNow();
        }
    }

    /**
     * Runs the client; exit status 0 when the server closed the connection, 1 if it could not
     * connect or the connection broke, 2 for a bad command line.
     *
     * @param args {@code [--host HOST] [--port PORT] [--loop epoll|nio]}
     */
    public static void main(String[] args) {
        ChatOptions options;
        try {
            options = ChatOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("chat client: " + e.getMessage());
            System.err.println("usage: examples/chat client " + ChatOptions.USAGE_OPTIONS);
            System.exit(2);
            return;
        }
        try {
            Asyncio.run(() -> {
                talk(options.host(), options.port(), System.in, System.out);
                return null;
            }, null, options.loopFactory());
        } catch (Exception e) {
            System.err.println("chat client: " + options.host() + ":" + options.port() + ": " + e);
            System.exit(1);
        }
        System.exit(0); // the thread reading the terminal may still be blocked
    }
}
