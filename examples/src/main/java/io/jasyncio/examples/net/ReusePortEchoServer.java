package io.jasyncio.examples.net;

import io.jasyncio.EventLoop;
import io.jasyncio.Protocol;
import io.jasyncio.SelectorEventLoop;
import io.jasyncio.Server;
import io.jasyncio.ServerOptions;
import io.jasyncio.Transport;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Every core used, the way Netty and uvloop users scale a server: one loop per core, each on its
 * own thread with its own listening socket on the same port ({@code reusePort}), and the kernel
 * spreading new connections among them. Nothing is shared between the loops, so nothing is
 * locked.
 *
 * <pre>examples: java ... io.jasyncio.examples.net.ReusePortEchoServer [PORT] [LOOPS]</pre>
 */
public final class ReusePortEchoServer {
    private ReusePortEchoServer() {
    }

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

    /** One loop and its server, on a thread of its own. */
    public static final class Worker {
        private final EventLoop loop = new SelectorEventLoop();
        private final Thread thread;
        private volatile Server server;
        private final CountDownLatch listening = new CountDownLatch(1);
        private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();

        Worker(int index, int port) {
            thread = new Thread(() -> {
                try {
                    server = loop.runUntilComplete(loop.createServer(() -> {
                        connections.incrementAndGet();
                        return new Echo();
                    },
                            ServerOptions.on("127.0.0.1", port).reusePort(true)));
                    listening.countDown();
                    loop.runUntilComplete(server.serveForever());
                } catch (RuntimeException | Error e) {
                    listening.countDown();
                    if (!(e instanceof io.jasyncio.CancelledError)) {
                        throw e;
                    }
                } finally {
                    loop.close();
                }
            }, "echo-loop-" + index);
        }

        /** {@return the loop} */
        public EventLoop loop() {
            return loop;
        }

        /** {@return how many connections this loop accepted} */
        public int connections() {
            return connections.get();
        }

        /** {@return the server, once listening} */
        public Server server() {
            return server;
        }

        /** Stops serving: closes the server from its own loop's thread. */
        public void stop() {
            loop.callSoonThreadsafe(() -> {
                if (server != null) {
                    server.close();
                    server.closeClients();
                }
            });
        }

        /**
         * Waits for the thread to end.
         *
         * @throws InterruptedException if interrupted
         */
        public void join() throws InterruptedException {
            thread.join();
        }
    }

    /**
     * Starts {@code loops} loops serving 127.0.0.1:{@code port} together.
     *
     * @param port the port (not 0: every loop must bind the same one)
     * @param loops how many loops (threads)
     * @return the workers, listening
     * @throws InterruptedException if interrupted while they start
     */
    public static List<Worker> start(int port, int loops) throws InterruptedException {
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < loops; i++) {
            Worker w = new Worker(i, port);
            workers.add(w);
            w.thread.start();
            w.listening.await();
            if (w.server == null) {
                throw new IllegalStateException("loop " + i + " could not listen on port " + port);
            }
        }
        return workers;
    }

    /**
     * Serves until the JVM is stopped.
     *
     * @param args the port (default 8888) and the number of loops (default: the cores)
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8888;
        int loops = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        List<Worker> workers = start(port, loops);
        System.out.println(loops + " loops serving 127.0.0.1:" + port);
        for (Worker w : workers) {
            w.join();
        }
    }
}
