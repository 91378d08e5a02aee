package io.jasyncio;

import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * An event loop (asyncio's {@code AbstractEventLoop}): runs callbacks, timers, I/O callbacks and
 * tasks, one at a time, on the thread that runs it.
 *
 * <p>Threads: only {@link #callSoonThreadsafe}, {@link #isRunning()}, {@link #isClosed()},
 * {@link #time()} and {@link #timeNanos()} may be called from any thread at any time. The
 * methods marked "loop thread only" belong to the loop's thread (and its tasks) while the loop
 * runs: from another thread they throw {@link IllegalStateException} in every mode, and change
 * nothing. Before the loop runs and after it stops, one thread at a time may set it up with them.
 * Use {@code callSoonThreadsafe} or {@link Asyncio#runCoroutineThreadsafe} to reach a running
 * loop from elsewhere.
 */
public interface EventLoop extends AutoCloseable {

    // ---- running and stopping ----

    /** Runs until {@link #stop()} is called. */
    void runForever();

    /**
     * Runs until {@code future} is done and returns its result (or throws its exception).
     *
     * @param <T> the type of the future's result
     * @param future the future to run the loop for
     * @return the future's result
     */
    <T> T runUntilComplete(Future<T> future);

    /**
     * Wraps {@code coroutine} in a task, runs until it is done and returns its result.
     *
     * @param <T> the type of the coroutine's result
     * @param coroutine the body of the task to run the loop for
     * @return the task's result
     */
    <T> T runUntilComplete(Coroutine<T> coroutine);

    /**
     * Stops the loop: a running loop finishes the current batch of ready callbacks and returns
     * from {@code runForever}; called before {@code runForever}, the next run polls once without
     * waiting, runs one batch and returns.
     *
     * <p>Loop thread only while the loop runs (see the class description).
     */
    void stop();

    /**
     * Whether {@code runForever} is running. Thread safe.
     *
     * <p>Any thread.
     *
     * @return true between the start and the end of {@code runForever} or {@code runUntilComplete}
     */
    boolean isRunning();

    /**
     * Whether {@link #close()} was called. Thread safe.
     *
     * <p>Any thread.
     *
     * @return true once the loop is closed
     */
    boolean isClosed();

    /**
     * Closes the loop: drops pending callbacks, shuts the default executor down without waiting and
     * releases the poller. Refused (IllegalStateException) while running; idempotent.
     */
    @Override
    void close();

    /**
     * Registers {@code hook} to run at shutdown (asyncio's async-generator finalization, for any
     * open asynchronous resource): {@link #shutdownAsyncgens()} runs every hook still registered.
     * Closing the returned registration removes the hook (do so when the resource closes itself).
     *
     * @param hook what to run at shutdown, in a task of its own
     * @return the registration; closing it removes the hook
     */
    AutoCloseable addShutdownHook(Coroutine<?> hook);

    /**
     * Runs every registered shutdown hook, concurrently, each in its own task, and forgets them;
     * a hook that fails is reported through the exception handler. {@link Asyncio#run} calls it
     * after cancelling the leftover tasks.
     *
     * @return a future done once every hook has finished
     */
    Future<Void> shutdownAsyncgens();

    /**
     * Shuts the default executor down; the future completes once its threads have finished.
     *
     * @return a future done once the executor's threads have finished
     */
    Future<Void> shutdownDefaultExecutor();

    /**
     * {@link #shutdownDefaultExecutor()} waiting at most {@code timeoutSeconds} for the threads
     * (asyncio's {@code shutdown_default_executor(timeout)}); past it, a warning is logged and the
     * future completes anyway. {@code Double.POSITIVE_INFINITY} waits without limit.
     *
     * @param timeoutSeconds how long to wait for the executor's threads, in seconds
     * @return a future done once the threads have finished or the timeout passed
     * @throws IllegalArgumentException if {@code timeoutSeconds} is NaN
     */
    Future<Void> shutdownDefaultExecutor(double timeoutSeconds);

    /**
     * {@link #shutdownDefaultExecutor(double)} with the timeout as a {@link Duration}.
     *
     * @param timeout how long to wait for the executor's threads
     * @return a future done once the threads have finished or the timeout passed
     * @throws NullPointerException if {@code timeout} is null (use {@link #shutdownDefaultExecutor()})
     */
    Future<Void> shutdownDefaultExecutor(Duration timeout);

    // ---- callbacks and timers ----

    /**
     * Schedules {@code callback} to run on the next iteration; callbacks run in FIFO order.
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param callback what to run, on the loop's thread
     * @return a handle that can cancel the call
     */
    Handle callSoon(Runnable callback);

    /**
     * {@link #callSoon(Runnable)} running {@code callback} in {@code context} (null: the current one).
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param callback what to run, on the loop's thread
     * @param context the context it runs in, or null for the current one
     * @return a handle that can cancel the call
     */
    Handle callSoon(Runnable callback, Context context);

    /**
     * Like {@link #callSoon} but callable from any thread; wakes a loop blocked in its poller.
     *
     * <p>Any thread.
     *
     * @param callback what to run, on the loop's thread
     * @return a handle that can cancel the call, from any thread
     */
    Handle callSoonThreadsafe(Runnable callback);

    /**
     * {@link #callSoonThreadsafe(Runnable)} running {@code callback} in {@code context}.
     *
     * <p>Any thread.
     *
     * @param callback what to run, on the loop's thread
     * @param context the context it runs in, or null for the current one
     * @return a handle that can cancel the call, from any thread
     */
    Handle callSoonThreadsafe(Runnable callback, Context context);

    /**
     * Schedules {@code callback} after {@code delaySeconds}, never earlier (asyncio's
     * {@code call_later}). Zero or a negative delay makes it due at once: it runs on the next
     * iteration, behind the callbacks already ready. {@code Double.POSITIVE_INFINITY} makes a
     * timer that never falls due (as asyncio's {@code call_later(math.inf, cb)}): its
     * {@link TimerHandle#when()} is infinite, it can be cancelled, and it keeps nothing in the
     * timer heap, so a virtual clock never jumps to it. Finite delays beyond about 146 years are
     * cut to that.
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param delaySeconds the delay in seconds
     * @param callback what to run, on this loop's thread
     * @return the timer, to cancel it
     * @throws IllegalArgumentException if {@code delaySeconds} is NaN
     * @throws NullPointerException if {@code callback} is null
     * @throws IllegalStateException if the loop is closed
     */
    TimerHandle callLater(double delaySeconds, Runnable callback);

    /**
     * {@link #callLater(double, Runnable)} with the delay as a {@link Duration}.
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param delay the delay; zero or negative: due at once
     * @param callback what to run, on this loop's thread
     * @return the timer, to cancel it
     * @throws NullPointerException if {@code delay} or {@code callback} is null
     * @throws IllegalStateException if the loop is closed
     */
    TimerHandle callLater(Duration delay, Runnable callback);

    /**
     * {@link #callLater(double, Runnable)} running {@code callback} in {@code context}.
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param delaySeconds the delay in seconds
     * @param callback what to run, on this loop's thread
     * @param context the context to run it in (null: a copy of the current one)
     * @return the timer, to cancel it
     * @throws IllegalArgumentException if {@code delaySeconds} is NaN
     */
    TimerHandle callLater(double delaySeconds, Runnable callback, Context context);

    /**
     * {@link #callLater(Duration, Runnable)} running {@code callback} in {@code context}.
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param delay the delay
     * @param callback what to run, on this loop's thread
     * @param context the context to run it in (null: a copy of the current one)
     * @return the timer, to cancel it
     * @throws NullPointerException if {@code delay} or {@code callback} is null
     */
    TimerHandle callLater(Duration delay, Runnable callback, Context context);

    /**
     * Schedules {@code callback} at {@code when}, in seconds on the {@link #time()} clock (asyncio's
     * {@code call_at}); a time already past is due at once, {@code Double.POSITIVE_INFINITY} is
     * never, as for {@link #callLater(double, Runnable)}.
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param when the deadline in seconds on this loop's clock
     * @param callback what to run, on this loop's thread
     * @return the timer, to cancel it
     * @throws IllegalArgumentException if {@code when} is NaN
     */
    TimerHandle callAt(double when, Runnable callback);

    /**
     * {@link #callAt(double, Runnable)} running {@code callback} in {@code context}.
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param when the deadline in seconds on this loop's clock
     * @param callback what to run, on this loop's thread
     * @param context the context to run it in (null: a copy of the current one)
     * @return the timer, to cancel it
     * @throws IllegalArgumentException if {@code when} is NaN
     */
    TimerHandle callAt(double when, Runnable callback, Context context);

    /**
     * The loop's monotonic clock, in seconds.
     *
     * <p>Any thread.
     *
     * @return the loop's time, in seconds
     */
    double time();

    /**
     * The loop's monotonic clock, in nanoseconds.
     *
     * <p>Any thread.
     *
     * @return the loop's time, in nanoseconds
     */
    long timeNanos();

    // ---- futures and tasks ----

    /**
     * A new pending future attached to this loop.
     *
     * @param <T> the type of the future's result
     * @return a pending future
     */
    <T> Future<T> createFuture();

    /**
     * Wraps {@code coroutine} in a task scheduled on this loop.
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param <T> the type of the coroutine's result
     * @param coroutine the body of the task
     * @return the task, scheduled to start on the loop's next iteration
     */
    <T> Task<T> createTask(Coroutine<T> coroutine);

    /**
     * Wraps {@code coroutine} in a task called {@code name}.
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param <T> the type of the coroutine's result
     * @param coroutine the body of the task
     * @param name the task's name, or null for a generated one
     * @return the task, scheduled to start on the loop's next iteration
     */
    <T> Task<T> createTask(Coroutine<T> coroutine, String name);

    /**
     * Wraps {@code coroutine} in a task that runs in {@code context} (null: a copy of the current one).
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param <T> the type of the coroutine's result
     * @param coroutine the body of the task
     * @param name the task's name, or null for a generated one
     * @param context the context the task runs in, or null for a copy of the current one
     * @return the task, scheduled to start on the loop's next iteration
     */
    <T> Task<T> createTask(Coroutine<T> coroutine, String name, Context context);

    /**
     * Replaces how {@link #createTask} makes tasks; null restores the default.
     *
     * @param factory makes the loop's tasks from now on, or null for plain tasks
     */
    void setTaskFactory(TaskFactory factory);

    /**
     * The task factory set by {@link #setTaskFactory}, or null.
     *
     * @return the task factory in use, or null for the default
     */
    TaskFactory getTaskFactory();

    // ---- watching file descriptors and channels ----

    /**
     * Calls {@code callback} whenever {@code fd} is readable (replaces an earlier reader).
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param fd the file descriptor to watch
     * @param callback what to run, on the loop's thread, while {@code fd} is readable
     */
    void addReader(int fd, Runnable callback);

    /**
     * Stops watching {@code fd} for reading; returns whether it was watched.
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param fd the file descriptor
     * @return true if {@code fd} was watched for reading
     */
    boolean removeReader(int fd);

    /**
     * Calls {@code callback} whenever {@code fd} is writable (replaces an earlier writer).
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param fd the file descriptor to watch
     * @param callback what to run, on the loop's thread, while {@code fd} is writable
     */
    void addWriter(int fd, Runnable callback);

    /**
     * Stops watching {@code fd} for writing; returns whether it was watched.
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param fd the file descriptor
     * @return true if {@code fd} was watched for writing
     */
    boolean removeWriter(int fd);

    /**
     * Calls {@code callback} whenever {@code channel} (non-blocking) is readable or acceptable.
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param channel the channel to watch, in non-blocking mode
     * @param callback what to run, on the loop's thread, while {@code channel} is ready
     */
    void addReader(SelectableChannel channel, Runnable callback);

    /**
     * Stops watching {@code channel} for reading; returns whether it was watched.
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param channel the channel
     * @return true if {@code channel} was watched for reading
     */
    boolean removeReader(SelectableChannel channel);

    /**
     * Calls {@code callback} whenever {@code channel} (non-blocking) is writable or connectable.
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param channel the channel to watch, in non-blocking mode
     * @param callback what to run, on the loop's thread, while {@code channel} is ready
     */
    void addWriter(SelectableChannel channel, Runnable callback);

    /**
     * Stops watching {@code channel} for writing; returns whether it was watched.
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param channel the channel
     * @return true if {@code channel} was watched for writing
     */
    boolean removeWriter(SelectableChannel channel);

    /**
     * Calls {@code callback} whenever {@code sock} is readable or has a connection to accept
     * (replaces an earlier reader). Works on every loop (see {@link Socket} for how a channel
     * socket reaches the epoll loop).
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param sock the socket to watch
     * @param callback what to run, on the loop's thread, while {@code sock} is readable
     * @throws IllegalArgumentException if this loop cannot watch the socket (a native socket on
     *         the NIO loop)
     */
    void addReader(Socket sock, Runnable callback);

    /**
     * Stops watching {@code sock} for reading.
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param sock the socket
     * @return true if it was watched for reading
     */
    boolean removeReader(Socket sock);

    /**
     * Calls {@code callback} whenever {@code sock} is writable or has finished connecting
     * (replaces an earlier writer).
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param sock the socket to watch
     * @param callback what to run, on the loop's thread, while {@code sock} is writable
     * @throws IllegalArgumentException if this loop cannot watch the socket
     */
    void addWriter(Socket sock, Runnable callback);

    /**
     * Stops watching {@code sock} for writing.
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param sock the socket
     * @return true if it was watched for writing
     */
    boolean removeWriter(Socket sock);

    // ---- socket operations (asyncio's sock_* calls) ----

    /**
     * Receives up to {@code nbytes} from a stream socket, waiting until some arrive.
     *
     * <p>Loop thread only while the loop runs, as every call of this section.
     *
     * @param sock the socket
     * @param nbytes the most to receive, non-negative
     * @return a future of the bytes: empty at end of stream
     */
    Future<byte[]> sockRecv(Socket sock, int nbytes);

    /**
     * Receives into {@code buffer} from its position, waiting until some bytes arrive.
     *
     * @param sock the socket
     * @param buffer where the bytes go; its position advances past them
     * @return a future of the count: 0 at end of stream
     */
    Future<Integer> sockRecvInto(Socket sock, java.nio.ByteBuffer buffer);

    /**
     * Sends all of {@code data}, waiting while the socket is full.
     *
     * @param sock the socket
     * @param data the bytes
     * @return a future done once every byte was taken by the kernel
     */
    Future<Void> sockSendall(Socket sock, byte[] data);

    /**
     * Sends {@code data} from its position to its limit, waiting while the socket is full.
     *
     * @param sock the socket
     * @param data the bytes; its position advances as they are sent
     * @return a future done once every byte was taken by the kernel
     */
    Future<Void> sockSendall(Socket sock, java.nio.ByteBuffer data);

    /**
     * Connects {@code sock} to {@code address}, resolving an unresolved
     * {@link java.net.InetSocketAddress} first (in the default executor).
     *
     * @param sock the socket
     * @param address the peer
     * @return a future done once connected; {@link java.net.ConnectException} when refused
     */
    Future<Void> sockConnect(Socket sock, java.net.SocketAddress address);

    /**
     * Accepts one connection on a listening socket, waiting for one.
     *
     * @param sock the listening socket
     * @return a future of the new connection's socket (its peer: {@link Socket#remoteAddress()})
     */
    Future<Socket> sockAccept(Socket sock);

    /**
     * Sends one datagram.
     *
     * @param sock a datagram socket
     * @param data the datagram, from its position to its limit
     * @param address the destination
     * @return a future of the bytes sent
     */
    Future<Integer> sockSendto(Socket sock, java.nio.ByteBuffer data, java.net.SocketAddress address);

    /**
     * Receives one datagram of at most {@code bufsize} bytes (the rest of a longer one is lost).
     *
     * @param sock a datagram socket
     * @param bufsize the most to keep
     * @return a future of the datagram and its sender
     */
    Future<Datagram> sockRecvfrom(Socket sock, int bufsize);

    /**
     * Receives one datagram into {@code buffer} from its position (its position advances past it).
     *
     * @param sock a datagram socket
     * @param buffer where it goes
     * @return a future of the sender
     */
    Future<java.net.SocketAddress> sockRecvfromInto(Socket sock, java.nio.ByteBuffer buffer);

    /**
     * Sends part of a file on a connected stream socket (asyncio's {@code sock_sendfile}).
     *
     * <p>Zero-copy or not: on the NIO loop {@link java.nio.channels.FileChannel#transferTo} hands
     * the bytes to the JDK, which uses {@code sendfile(2)} for socket channels. On the epoll loop
     * the JDK does not reveal a FileChannel's descriptor, so this overload copies through one
     * direct buffer (and reads the file on the loop's thread); for no copy there, pass the file's
     * {@link java.nio.file.Path} ({@link #sockSendfile(Socket, java.nio.file.Path, long, long)}).
     * When bytes were sent, the file's position is left at {@code offset} plus their count, as
     * asyncio leaves it.
     *
     * @param sock the socket
     * @param file the file, open for reading
     * @param offset where in the file to start
     * @param count how many bytes; -1 for up to the file's end
     * @return a future of the bytes sent
     * @throws IllegalArgumentException for a negative offset, a count that is neither positive
     *         nor -1, or a socket that is not a stream socket
     */
    Future<Long> sockSendfile(Socket sock, java.nio.channels.FileChannel file, long offset, long count);

    /**
     * Sends part of a file, named by its path, on a connected stream socket. On the epoll loop
     * this is zero-copy: jasyncio opens the file read-only itself and {@code sendfile(2)} moves
     * the bytes from the page cache to the socket; on the NIO loop it is
     * {@link #sockSendfile(Socket, java.nio.channels.FileChannel, long, long)} on a channel it
     * opens. The file is closed when the future is done.
     *
     * @param sock the socket
     * @param file the file's path
     * @param offset where in the file to start
     * @param count how many bytes; -1 for up to the file's end
     * @return a future of the bytes sent; failed with a
     *         {@link java.nio.file.NoSuchFileException} if there is no such file
     * @throws IllegalArgumentException as the FileChannel overload
     */
    Future<Long> sockSendfile(Socket sock, java.nio.file.Path file, long offset, long count);

    // ---- name resolution ----

    /**
     * Resolves a host and port without blocking the loop (asyncio's {@code getaddrinfo}).
     *
     * @param host a name or numeric address; null for the loopback address
     * @param port the port
     * @param family null for any, or one family
     * @param type null for stream, or a type
     * @return a future of the addresses, in the resolver's order;
     *         {@link java.net.UnknownHostException} if there are none
     */
    Future<java.util.List<AddressInfo>> getaddrinfo(String host, int port, Socket.Family family, Socket.Type type);

    /**
     * Finds the name of an address without blocking the loop (asyncio's {@code getnameinfo}).
     *
     * @param address the address
     * @param numeric true for the numeric host ({@code NI_NUMERICHOST})
     * @return a future of the host and port
     */
    Future<NameInfo> getnameinfo(java.net.InetSocketAddress address, boolean numeric);

    // ---- connections and servers ----

    /**
     * Opens a TCP connection to {@code host:port} (asyncio's {@code create_connection}).
     *
     * @param <P> the protocol's type
     * @param protocolFactory makes the connection's protocol, a {@link Protocol} or
     *        {@link BufferedProtocol}
     * @param host a name or numeric address; each resolved address is tried in turn
     * @param port the port
     * @return a future of the transport and protocol; the error of the last attempt if none
     *         connects (an {@link ExceptionGroup}-free {@link java.net.ConnectException} when all
     *         fail the same way)
     */
    <P extends BaseProtocol> Future<Connection<P>> createConnection(java.util.function.Supplier<P> protocolFactory,
            String host, int port);

    /**
     * Opens a connection with asyncio's options: TLS, a local address, a given socket, Happy
     * Eyeballs.
     *
     * @param <P> the protocol's type
     * @param protocolFactory makes the connection's protocol
     * @param options the options
     * @return a future of the transport and protocol
     */
    <P extends BaseProtocol> Future<Connection<P>> createConnection(java.util.function.Supplier<P> protocolFactory,
            ConnectOptions options);

    /**
     * Opens a Unix stream connection (asyncio's {@code create_unix_connection}).
     *
     * @param <P> the protocol's type
     * @param protocolFactory makes the connection's protocol
     * @param path the socket's path; a leading NUL byte ({@code "\0name"}) names an abstract socket
     * @return a future of the transport and protocol
     */
    <P extends BaseProtocol> Future<Connection<P>> createUnixConnection(java.util.function.Supplier<P> protocolFactory,
            String path);

    /**
     * Wraps an accepted (or otherwise connected) stream socket in a transport (asyncio's
     * {@code connect_accepted_socket}).
     *
     * @param <P> the protocol's type
     * @param protocolFactory makes the connection's protocol
     * @param sock the connected socket; the transport owns it from then on
     * @param ssl null for plain, else serve TLS on it with this context (server side)
     * @return a future of the transport and protocol
     */
    <P extends BaseProtocol> Future<Connection<P>> connectAcceptedSocket(java.util.function.Supplier<P> protocolFactory,
            Socket sock, javax.net.ssl.SSLContext ssl);

    /**
     * Starts a TCP server on every address of {@code host} (asyncio's {@code create_server}).
     *
     * @param protocolFactory makes each connection's protocol
     * @param host a name or numeric address; null or "" for every interface
     * @param port the port; 0 for one the OS picks
     * @return a future of the server, accepting
     */
    Future<Server> createServer(java.util.function.Supplier<? extends BaseProtocol> protocolFactory, String host, int port);

    /**
     * Starts a server with asyncio's options: several hosts, backlog, address and port reuse,
     * TLS, a given socket, a deferred start.
     *
     * @param protocolFactory makes each connection's protocol
     * @param options the options
     * @return a future of the server
     */
    Future<Server> createServer(java.util.function.Supplier<? extends BaseProtocol> protocolFactory, ServerOptions options);

    /**
     * Starts a Unix stream server (asyncio's {@code create_unix_server}). A stale socket file at
     * {@code path} is removed first, as asyncio does.
     *
     * @param protocolFactory makes each connection's protocol
     * @param path the socket's path; a leading NUL byte names an abstract socket
     * @return a future of the server
     */
    Future<Server> createUnixServer(java.util.function.Supplier<? extends BaseProtocol> protocolFactory, String path);

    /**
     * Creates a datagram endpoint (asyncio's {@code create_datagram_endpoint}).
     *
     * @param <P> the protocol's type
     * @param protocolFactory makes the endpoint's protocol
     * @param options local and remote addresses, family, reuse and broadcast flags, or a socket
     * @return a future of the transport and protocol
     */
    <P extends DatagramProtocol> Future<DatagramEndpoint<P>> createDatagramEndpoint(
            java.util.function.Supplier<P> protocolFactory, DatagramOptions options);

    /**
     * Upgrades a live connection to TLS (asyncio's {@code start_tls}): after the handshake,
     * {@code protocol} talks to the returned transport, and {@code transport} must no longer be
     * used. The plain transport stops reading at once and hands what arrives next to TLS; its
     * {@code connectionMade} is not called again on {@code protocol}, which may see data before
     * the future is done (as in asyncio). A failed handshake closes {@code transport}. The
     * handshake and shutdown limits are the defaults (60 s, 30 s).
     *
     * @param transport the plain connection
     * @param protocol the protocol that will read the decrypted stream
     * @param ssl the context
     * @param serverSide true to act as the TLS server
     * @param serverHostname the name to check (client side); null for none
     * @return a future of the TLS transport, done after the handshake
     * @throws IllegalArgumentException if {@code transport} is not one of this loop's stream
     *         transports or {@code protocol} is neither a {@link Protocol} nor a
     *         {@link BufferedProtocol}
     */
    Future<Transport> startTls(Transport transport, BaseProtocol protocol, javax.net.ssl.SSLContext ssl,
            boolean serverSide, String serverHostname);

    /**
     * Sends part of a file on a transport (asyncio's {@code loop.sendfile}), after the data the
     * transport has buffered.
     *
     * <p>On a plain stream transport (no TLS) the transport's write buffer is first allowed to
     * drain, its reading is paused, and the socket sends the file as
     * {@link #sockSendfile(Socket, java.nio.channels.FileChannel, long, long)} does (zero-copy on
     * the NIO loop; on the epoll loop zero-copy only with a {@link java.nio.file.Path}, see
     * {@link #sendfile(Transport, java.nio.file.Path, long, long)}); meanwhile
     * {@link WriteTransport#write} throws IllegalStateException (asyncio's RuntimeError). Any
     * other transport gets the file in chunks read in the default executor and written with
     * {@code write}, waiting whenever the transport pauses writing; its protocol is set aside
     * meanwhile (asyncio's fallback). When bytes were sent, the file's position is left at
     * {@code offset} plus their count.
     *
     * @param transport the transport
     * @param file the file, open for reading
     * @param offset where in the file to start
     * @param count how many bytes; -1 for up to the file's end
     * @return a future of the bytes sent; failed if the connection is lost meanwhile
     * @throws IllegalArgumentException for a negative offset or a count neither positive nor -1
     * @throws IllegalStateException if the transport is closing
     */
    Future<Long> sendfile(Transport transport, java.nio.channels.FileChannel file, long offset, long count);

    /**
     * Sends part of a file, named by its path, on a transport: as
     * {@link #sendfile(Transport, java.nio.channels.FileChannel, long, long)}, and zero-copy
     * ({@code sendfile(2)} on a descriptor jasyncio opens) on a plain stream transport of the
     * epoll loop. The file is closed when the future is done.
     *
     * @param transport the transport
     * @param file the file's path
     * @param offset where in the file to start
     * @param count how many bytes; -1 for up to the file's end
     * @return a future of the bytes sent
     * @throws IllegalArgumentException as the FileChannel overload
     * @throws IllegalStateException if the transport is closing
     */
    Future<Long> sendfile(Transport transport, java.nio.file.Path file, long offset, long count);

    // ---- idling ----

    /**
     * Chooses what the loop does when it has nothing to run (jasyncio's own; asyncio always
     * blocks): see {@link IdleStrategy} for what each costs.
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param strategy {@link IdleStrategy#block()} (the default), {@link IdleStrategy#spin(int)}
     *        or {@link IdleStrategy#busySpin()}
     */
    void setIdleStrategy(IdleStrategy strategy);

    /**
     * The idle strategy in use.
     *
     * @return the strategy
     */
    IdleStrategy getIdleStrategy();

    // ---- signals ----

    /**
     * Calls {@code callback} on this loop's thread whenever the process receives signal
     * {@code signum} (asyncio's {@code add_signal_handler}); adding again replaces the callback.
     * The callback runs in the context current now, and an exception it throws goes to the
     * exception handler. Several loops, on several threads, may handle the same signal: each gets
     * the callback. While any loop handles a signal, its previous handler (for INT, the JVM's,
     * which runs the shutdown hooks) is set aside; it is put back when the last loop removes its
     * callback, or closes.
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param signum the signal's number on this platform (see {@link #addSignalHandler(String, Runnable)}
     *        to name it instead)
     * @param callback what to run, on this loop's thread
     * @throws IllegalArgumentException if {@code signum} is no signal, cannot be caught (KILL,
     *         STOP), or is reserved by the JVM (QUIT, ILL, FPE, SEGV, BUS, USR2, PIPE, XFSZ) or the
     *         JDK's process handling (CHLD); the message says which
     * @throws IllegalStateException if the loop is closed, or if the signal was ignored when the
     *         JVM started ({@code nohup}, a background job) so that the JVM would never call a
     *         handler (it stays ignored)
     */
    void addSignalHandler(int signum, Runnable callback);

    /**
     * {@link #addSignalHandler(int, Runnable)} with the signal named: {@code "INT"} or
     * {@code "SIGINT"} (any case), {@code "RTMIN+2"} for a real-time signal.
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param signal the signal's name
     * @param callback what to run, on this loop's thread
     * @throws IllegalArgumentException for an unknown name, and as {@code addSignalHandler(int, Runnable)}
     * @throws IllegalStateException as {@code addSignalHandler(int, Runnable)}
     */
    void addSignalHandler(String signal, Runnable callback);

    /**
     * Removes this loop's callback for signal {@code signum} (asyncio's
     * {@code remove_signal_handler}); a delivery already queued no longer runs it.
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param signum the signal's number
     * @return whether a callback was registered (false on a closed loop)
     * @throws IllegalArgumentException if {@code signum} is no signal number
     */
    boolean removeSignalHandler(int signum);

    /**
     * {@link #removeSignalHandler(int)} with the signal named as in
     * {@link #addSignalHandler(String, Runnable)}.
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param signal the signal's name
     * @return whether a callback was registered
     * @throws IllegalArgumentException for an unknown name
     */
    boolean removeSignalHandler(String signal);

    // ---- executors ----

    /**
     * Runs {@code function} on {@code executor} (null: the default executor, virtual threads).
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param <T> the type of the function's result
     * @param executor where to run it, or null for the loop's default executor
     * @param function what to run
     * @return a future on this loop with the function's outcome
     */
    <T> Future<T> runInExecutor(Executor executor, Callable<T> function);

    /**
     * Replaces the default executor used by {@code runInExecutor(null, ...)}.
     *
     * @param executor the loop's default executor from now on
     */
    void setDefaultExecutor(ExecutorService executor);

    // ---- errors and debugging ----

    /**
     * Sets the handler for errors nobody else can take; null restores the default.
     *
     * @param handler the handler from now on, or null for {@link #defaultExceptionHandler}
     */
    void setExceptionHandler(ExceptionHandler handler);

    /**
     * The handler set by {@link #setExceptionHandler}, or null.
     *
     * @return the handler in use, or null for the default one
     */
    ExceptionHandler getExceptionHandler();

    /**
     * Logs {@code context} through {@link System.Logger} (logger {@code io.jasyncio}).
     *
     * @param context what happened: {@code message}, and {@code exception}, {@code future},
     *        {@code task}, {@code handle}... as each case has them
     */
    void defaultExceptionHandler(Map<String, Object> context);

    /**
     * Hands {@code context} to the exception handler (or the default one).
     *
     * @param context what happened: {@code message}, and {@code exception}, {@code future},
     *        {@code task}, {@code handle}... as each case has them
     */
    void callExceptionHandler(Map<String, Object> context);

    /**
     * Whether debug mode is on.
     *
     * @return true in debug mode
     */
    boolean getDebug();

    /**
     * Turns debug mode on or off.
     *
     * @param enabled whether debug mode is on from now on
     */
    void setDebug(boolean enabled);

    /**
     * In debug mode, callbacks that take longer than this are logged (default 100 ms).
     *
     * @return the slow-callback threshold
     */
    Duration getSlowCallbackDuration();

    /**
     * Sets the slow-callback threshold used in debug mode.
     *
     * @param duration the threshold; zero logs every callback
     * @throws NullPointerException if {@code duration} is null
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    void setSlowCallbackDuration(Duration duration);

    /**
     * {@link #setSlowCallbackDuration(Duration)} in seconds, as asyncio's
     * {@code loop.slow_callback_duration = 0.1}; {@code Double.POSITIVE_INFINITY} logs none.
     *
     * @param seconds the threshold in seconds; zero logs every callback
     * @throws IllegalArgumentException if {@code seconds} is negative or NaN
     */
    void setSlowCallbackDuration(double seconds);

    // ---- pipes and child processes ----

    /**
     * Makes a read transport of a pipe, FIFO or character device (asyncio's
     * {@code connect_read_pipe}); the transport owns the descriptor from then on and closes it.
     * The descriptor is made non-blocking. Works on both loops where the native library loads.
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param <P> the protocol's type
     * @param protocolFactory makes the protocol (a {@link Protocol} sees the data)
     * @param fd the read end
     * @return a future of the transport and protocol; it fails with IllegalArgumentException for a
     *         descriptor that is not a pipe, FIFO, socket or character device
     */
    <P extends BaseProtocol> Future<Connection<P>> connectReadPipe(java.util.function.Supplier<P> protocolFactory,
            int fd);

    /**
     * {@link #connectReadPipe(java.util.function.Supplier, int)} over a JDK channel, such as a
     * {@link java.nio.channels.Pipe.SourceChannel} (NIO loop; made non-blocking).
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param <P> the protocol's type
     * @param protocolFactory makes the protocol
     * @param channel a readable selectable channel
     * @return a future of the transport and protocol
     */
    <P extends BaseProtocol> Future<Connection<P>> connectReadPipe(java.util.function.Supplier<P> protocolFactory,
            SelectableChannel channel);

    /**
     * Makes a write transport of a pipe, FIFO or character device (asyncio's
     * {@code connect_write_pipe}); the transport owns the descriptor and closes it. A reader that
     * goes away closes the transport (with a {@link java.net.SocketException} when data was still
     * queued), so writes never abort the process nor hang.
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param <P> the protocol's type
     * @param protocolFactory makes the protocol (its pauseWriting/resumeWriting follow the queue)
     * @param fd the write end
     * @return a future of the transport and protocol
     */
    <P extends BaseProtocol> Future<Connection<P>> connectWritePipe(java.util.function.Supplier<P> protocolFactory,
            int fd);

    /**
     * {@link #connectWritePipe(java.util.function.Supplier, int)} over a JDK channel, such as a
     * {@link java.nio.channels.Pipe.SinkChannel} (NIO loop; made non-blocking).
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param <P> the protocol's type
     * @param protocolFactory makes the protocol
     * @param channel a writable selectable channel
     * @return a future of the transport and protocol
     */
    <P extends BaseProtocol> Future<Connection<P>> connectWritePipe(java.util.function.Supplier<P> protocolFactory,
            SelectableChannel channel);

    /**
     * Starts a program (asyncio's {@code subprocess_exec}): {@code args.get(0)} is looked up on
     * the PATH (the child's, when {@code options} sets PATH) unless it holds a slash. asyncio
     * makes every stream a pipe here: pass {@link SubprocessOptions#pipes()} for that.
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param <P> the protocol's type
     * @param protocolFactory makes the protocol
     * @param args the program and its arguments
     * @param options the streams, cwd and environment
     * @return a future of the transport and protocol; it fails, with nothing left open, with a
     *         {@link java.nio.file.NoSuchFileException} naming a missing program or cwd, an
     *         {@link java.nio.file.AccessDeniedException} for one that cannot be run, or another
     *         {@link java.io.IOException} naming the errno
     * @throws UnsupportedOperationException where jasyncio's native library does not load
     */
    <P extends SubprocessProtocol> Future<SubprocessConnection<P>> subprocessExec(
            java.util.function.Supplier<P> protocolFactory, java.util.List<String> args, SubprocessOptions options);

    /**
     * Runs a command through {@code /bin/sh -c} (asyncio's {@code subprocess_shell}).
     *
     * <p>Loop thread only while the loop runs (see the class description).
     *
     * @param <P> the protocol's type
     * @param protocolFactory makes the protocol
     * @param cmd the shell command
     * @param options the streams, cwd and environment
     * @return a future of the transport and protocol
     * @throws UnsupportedOperationException where jasyncio's native library does not load
     */
    <P extends SubprocessProtocol> Future<SubprocessConnection<P>> subprocessShell(
            java.util.function.Supplier<P> protocolFactory, String cmd, SubprocessOptions options);
}
