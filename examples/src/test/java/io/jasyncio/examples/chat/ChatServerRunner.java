package io.jasyncio.examples.chat;

import io.jasyncio.Asyncio;
import io.jasyncio.SelectorEventLoop;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** A chat server on its own thread and loop, on 127.0.0.1 and a free port, for one test. */
final class ChatServerRunner implements AutoCloseable {
    final ChatServer chat = new ChatServer();
    final InetSocketAddress address;
    private final Thread thread;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    ChatServerRunner(SelectorEventLoop.Backend backend) throws Exception {
        CompletableFuture<InetSocketAddress> listening = new CompletableFuture<>();
        thread = Thread.ofPlatform().name("chat-server-" + backend).start(() -> {
            try {
                Asyncio.run(() -> {
                    chat.serve("127.0.0.1", 0, false, listening::complete);
                    return null;
                }, null, () -> new SelectorEventLoop(backend));
                finished.complete(null);
            } catch (Throwable t) {
                listening.completeExceptionally(t);
                finished.completeExceptionally(t);
            }
        });
        address = listening.get(30, TimeUnit.SECONDS);
    }

    /** Stops the server and waits (bounded) until its loop has closed; rethrows what failed it. */
    @Override
    public void close() throws Exception {
        chat.stop();
        finished.get(30, TimeUnit.SECONDS);
        thread.join(10_000);
        assertFalse(thread.isAlive(), "the server's thread did not end");
    }
}
