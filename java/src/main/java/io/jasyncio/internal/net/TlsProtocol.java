package io.jasyncio.internal.net;

import io.jasyncio.BaseProtocol;
import io.jasyncio.BufferedProtocol;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.Protocol;
import io.jasyncio.TimerHandle;
import io.jasyncio.Transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * TLS as a protocol on a plain stream transport (asyncio's {@code SSLProtocol}): ciphertext is
 * read straight into this protocol's engine input buffer, decrypted, and handed to the
 * application's {@link Protocol} or {@link BufferedProtocol}, which talks to the
 * {@link TlsTransport} this protocol exposes. Not thread safe: everything runs on the loop.
 *
 * <p>The states are asyncio's: handshake, wrapped (application data flows), flushing (the
 * application closed: its buffered writes still go out), shutdown (our close_notify is sent and
 * the peer's is awaited), done. The handshake is bounded by the handshake timeout, and flushing
 * plus shutdown by the shutdown timeout, so neither a silent peer nor one that never answers
 * close_notify can hang a connection.
 *
 * <p>Buffers: one engine input buffer, one decrypted-data buffer and one output buffer per
 * connection, heap memory, sized from the engine's session (a maximal TLS record and its
 * plaintext), reused for every record, dropped when the connection is lost. Only plaintext the
 * transport below cannot take yet is copied, into the write backlog that drives the
 * application's flow control.
 *
 * <p>The engine's delegated tasks (certificate checks, signatures, key exchange) run inline on
 * the loop by default. Measured on the 2-core development machine (loopback, TLS 1.3, a 2048-bit
 * RSA key, client and server on one epoll loop, 900 handshakes in a row, the last 600 counted,
 * times from the debug-mode log): inline, a handshake took 3.2 ms at the median (4.5 ms p90), of
 * which 0.6 ms client tasks and 1.9 ms server tasks, and the 900 took 5.4 s; with the tasks in
 * the default executor, 4.5 ms (7.3 ms p90) and 6.8 s: the hops to a virtual thread and back
 * cost more than the work. A server that must keep its loop's latency under a storm of
 * handshakes can move them off the loop with {@code -Djasyncio.tls.delegatedTasks=executor}; the
 * engine then waits, and the loop goes on. Inline is also Netty's default.
 */
public final class TlsProtocol implements BufferedProtocol {

    private static final System.Logger LOG = System.getLogger("io.jasyncio");
    /** asyncio's {@code SSL_HANDSHAKE_TIMEOUT}. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);
    /** asyncio's {@code SSL_SHUTDOWN_TIMEOUT}. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final int LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;
    /** Where the engine's delegated tasks run: {@code inline} (the default) or {@code executor}. */
    public static final String DELEGATED_TASKS_PROP_NAME = "jasyncio.tls.delegatedTasks";
    /** The default of {@link #DELEGATED_TASKS_PROP_NAME}. */
    public static final String DELEGATED_TASKS_DEFAULT = "inline";
    private static final boolean TASKS_IN_EXECUTOR = "executor".equals(
            System.getProperty(DELEGATED_TASKS_PROP_NAME, DELEGATED_TASKS_DEFAULT));

    private enum State { UNWRAPPED, HANDSHAKE, WRAPPED, FLUSHING, SHUTDOWN, DONE }

    private final EventLoop loop;
    private final SSLContext context;
    private final SSLEngine engine;
    private final Duration handshakeTimeout;
    private final Duration shutdownTimeout;
    private final boolean callConnectionMade;
    private final Future<Void> waiter;
    private final TlsTransport appTransport;

    private BaseProtocol app;
    private Protocol plainApp;
    private BufferedProtocol bufferedApp;
    private Transport transport;
    private State state = State.UNWRAPPED;

    /** Ciphertext read from the socket, in write mode: the bytes are {@code [0, position)}. */
    private ByteBuffer netIn;
    /** Decrypted bytes not yet delivered, in read mode: {@code [position, limit)}. */
    private ByteBuffer appIn;
    private ByteBuffer appInView;
    /** Where one record is wrapped before it goes to the transport. */
    private ByteBuffer netOut;

    private final ArrayDeque<ByteBuffer> appOut = new ArrayDeque<>();
    private long appOutBytes;
    private final FlowControl flow = new FlowControl(this::report);
    private boolean sslWritingPaused;
    private boolean appReadingPaused;

    private boolean appConnected;
    private boolean appClosed;
    private boolean peerClosed;
    private boolean tcpEof;
    private boolean eofDelivered;
    private boolean handshaken;
    private boolean lost;
    private boolean driving;
    private boolean again;
    private int droppedWrites;
    private TimerHandle handshakeTimer;
    private TimerHandle shutdownTimer;
    private Throwable lostException;
    private long handshakeStart;
    private long taskNanos;
    private boolean tasksRunning;

    /**
     * A TLS protocol for one connection. Give it to a plain stream transport; its
     * {@link #connectionMade} starts the handshake.
     *
     * @param loop the loop
     * @param context makes the engine
     * @param serverSide true for the TLS server's side
     * @param serverHostname client side: the name sent as SNI and checked against the server's
     *        certificate; null or empty for neither
     * @param app the application's {@link Protocol} or {@link BufferedProtocol}
     * @param waiter completed with null after the handshake, or with its failure; may be null
     * @param handshakeTimeout null for 60 s
     * @param shutdownTimeout null for 30 s
     * @param callConnectionMade false for {@code startTls}, whose protocol knows the connection
     * @throws IllegalArgumentException for a protocol of another kind or a timeout that is not
     *         positive
     */
    public TlsProtocol(EventLoop loop, SSLContext context, boolean serverSide, String serverHostname,
            BaseProtocol app, Future<Void> waiter, Duration handshakeTimeout, Duration shutdownTimeout,
            boolean callConnectionMade) {
        this.loop = loop;
        this.context = java.util.Objects.requireNonNull(context, "ssl");
        this.handshakeTimeout = positive(handshakeTimeout, DEFAULT_HANDSHAKE_TIMEOUT, "sslHandshakeTimeout");
        this.shutdownTimeout = positive(shutdownTimeout, DEFAULT_SHUTDOWN_TIMEOUT, "sslShutdownTimeout");
        this.callConnectionMade = callConnectionMade;
        this.waiter = waiter;
        setAppProtocol(app);
        boolean named = !serverSide && serverHostname != null && !serverHostname.isEmpty();
        this.engine = named ? context.createSSLEngine(serverHostname, -1) : context.createSSLEngine();
        engine.setUseClientMode(!serverSide);
        if (named) {
            SSLParameters p = engine.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            if (!isIpLiteral(serverHostname)) {
                p.setServerNames(List.of(new SNIHostName(serverHostname)));
            }
            engine.setSSLParameters(p);
        }
        this.appTransport = new TlsTransport(this);
    }

    private static Duration positive(Duration d, Duration dflt, String what) {
        if (d == null) {
            return dflt;
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " should be a positive duration, got " + d);
        }
        return d;
    }

    private static boolean isIpLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    /** {@return the transport the application protocol talks to} */
    public TlsTransport appTransport() {
        return appTransport;
    }

    // ---- the plain transport's calls ----

    /** Starts the handshake. */
    @Override
    public void connectionMade(Transport transport) {
        this.transport = transport;
        if (lost) {
            // closed before it began (the connecting task was cancelled)
            transport.abort();
            return;
        }
        SSLSession session = engine.getSession();
        netIn = ByteBuffer.allocate(session.getPacketBufferSize());
        setAppIn(ByteBuffer.allocate(session.getApplicationBufferSize()).limit(0));
        netOut = ByteBuffer.allocate(session.getPacketBufferSize());
        state = State.HANDSHAKE;
        handshakeStart = System.nanoTime();
        handshakeTimer = loop.callLater(handshakeTimeout, this::handshakeTimedOut);
        try {
            engine.beginHandshake();
        } catch (SSLException e) {
            fatal(e);
            return;
        }
        drive();
    }

    private void setAppIn(ByteBuffer b) {
        appIn = b;
        appInView = b.asReadOnlyBuffer();
    }

    /** {@return the engine input buffer, with room from its position on} */
    @Override
    public ByteBuffer getBuffer(int sizeHint) {
        if (!netIn.hasRemaining()) {
            netIn = grow(netIn, Math.max(engine.getSession().getPacketBufferSize(), netIn.capacity() * 2));
        }
        return netIn;
    }

    /** Ciphertext arrived. */
    @Override
    public void bufferUpdated(int nbytes) {
        netIn.position(netIn.position() + nbytes);
        drive();
    }

    /** The peer closed its TCP side. */
    @Override
    public boolean eofReceived() {
        if (state == State.HANDSHAKE) {
            fatal(new SocketException("Connection reset by peer during the SSL handshake"));
            return false;
        }
        if (state == State.DONE) {
            return false;
        }
        tcpEof = true;
        drive();
        // keep the transport: the shutdown above closes it once the backlog is out
        return true;
    }

    /** The transport below drained: wrap more. */
    @Override
    public void resumeWriting() {
        sslWritingPaused = false;
        drive();
    }

    /** The transport below is full: keep plaintext in the backlog. */
    @Override
    public void pauseWriting() {
        sslWritingPaused = true;
    }

    /** The connection is gone: tell the application (if it was told of the connection). */
    @Override
    public void connectionLost(Throwable exc) {
        if (lost) {
            return;
        }
        lost = true;
        state = State.DONE;
        appClosed = true;
        cancelTimers();
        Throwable cause = exc != null ? exc : lostException;
        wakeWaiter(cause != null ? cause : new SocketException("Connection lost during the SSL handshake"));
        appOut.clear();
        appOutBytes = 0;
        netIn = null;
        appIn = null;
        appInView = null;
        netOut = null;
        if (appConnected) {
            appConnected = false;
            try {
                app.connectionLost(cause);
            } catch (RuntimeException e) {
                report("Fatal error: protocol.connectionLost() call failed.", e);
            }
        }
    }

    // ---- the state machine ----

    /** Runs the engine as far as the data at hand allows; re-entered calls fold into the running one. */
    private void drive() {
        if (driving) {
            again = true;
            return;
        }
        driving = true;
        try {
            do {
                again = false;
                process();
            } while (again && state != State.DONE);
        } catch (SSLException | RuntimeException e) {
            fatal(e);
        } finally {
            driving = false;
        }
    }

    /** Hands the engine's tasks to the default executor; the engine waits, and the loop goes on. */
    private void runTasksInExecutor() {
        if (tasksRunning) {
            return;
        }
        tasksRunning = true;
        loop.runInExecutor(null, () -> {
            long t0 = System.nanoTime();
            Runnable task;
            while ((task = engine.getDelegatedTask()) != null) {
                task.run();
            }
            return System.nanoTime() - t0;
        }).addDoneCallback(f -> {
            tasksRunning = false;
            if (!f.cancelled() && f.exception() != null) {
                fatal(f.exception());
                return;
            }
            if (!f.cancelled()) {
                taskNanos += f.result();
            }
            drive();
        });
    }

    private void process() throws SSLException {
        if (tasksRunning) {
            return;
        }
        while (state != State.DONE && state != State.UNWRAPPED) {
            boolean progress;
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> {
                    if (TASKS_IN_EXECUTOR) {
                        runTasksInExecutor();
                        return;
                    }
                    long t0 = System.nanoTime();
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                    taskNanos += System.nanoTime() - t0;
                    progress = true;
                }
                case NEED_WRAP -> progress = wrapOnce(EMPTY);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> progress = unwrapOnce();
                default -> {
                    if (state == State.HANDSHAKE) {
                        if (engine.isInboundDone() || engine.isOutboundDone()) {
                            throw new SSLHandshakeException("the peer closed the connection during the handshake");
                        }
                        handshakeDone();
                        progress = true;
                    } else {
                        progress = unwrapOnce();
                    }
                }
            }
            if (state == State.HANDSHAKE || state == State.DONE) {
                if (!progress) {
                    return;
                }
                continue;
            }
            progress |= deliver();
            if (state == State.DONE) {
                return;
            }
            progress |= flushBacklog();
            progress |= advanceShutdown();
            if (!progress) {
                progress = deliverEof();
            }
            if (!progress) {
                return;
            }
        }
    }

    /** Unwraps one record from {@link #netIn}; false when nothing could be done. */
    private boolean unwrapOnce() throws SSLException {
        if (netIn.position() == 0) {
            return false;
        }
        if (engine.isInboundDone()) {
            netIn.clear();
            return false;
        }
        if (appIn.hasRemaining() && state != State.HANDSHAKE) {
            return false;
        }
        netIn.flip();
        appIn.compact();
        SSLEngineResult r;
        try {
            r = engine.unwrap(netIn, appIn);
        } finally {
            appIn.flip();
            netIn.compact();
        }
        switch (r.getStatus()) {
            case BUFFER_UNDERFLOW -> {
                if (!netIn.hasRemaining()) {
                    netIn = grow(netIn, Math.max(engine.getSession().getPacketBufferSize(), netIn.capacity() * 2));
                }
                return false;
            }
            case BUFFER_OVERFLOW -> {
                setAppIn(growRead(appIn, engine.getSession().getApplicationBufferSize() + appIn.remaining()));
                return true;
            }
            case CLOSED -> {
                peerClosed = true;
                return true;
            }
            default -> {
                return r.bytesConsumed() > 0 || r.bytesProduced() > 0;
            }
        }
    }

    /** Wraps from {@code src} into one record and hands it to the transport; false when nothing moved. */
    private boolean wrapOnce(ByteBuffer src) throws SSLException {
        netOut.clear();
        SSLEngineResult r = engine.wrap(src, netOut);
        netOut.flip();
        if (netOut.hasRemaining()) {
            transport.write(netOut);
        }
        return switch (r.getStatus()) {
            case BUFFER_OVERFLOW -> {
                netOut = ByteBuffer.allocate(Math.max(engine.getSession().getPacketBufferSize(), netOut.capacity() * 2));
                yield true;
            }
            case CLOSED -> r.bytesProduced() > 0;
            default -> r.bytesConsumed() > 0 || r.bytesProduced() > 0;
        };
    }

    private static ByteBuffer grow(ByteBuffer writeMode, int capacity) {
        ByteBuffer b = ByteBuffer.allocate(capacity);
        writeMode.flip();
        b.put(writeMode);
        return b;
    }

    private static ByteBuffer growRead(ByteBuffer readMode, int capacity) {
        ByteBuffer b = ByteBuffer.allocate(capacity);
        b.put(readMode).flip();
        return b;
    }

    private void handshakeDone() {
        state = State.WRAPPED;
        handshaken = true;
        cancel(handshakeTimer);
        handshakeTimer = null;
        if (loop.getDebug()) {
            LOG.log(System.Logger.Level.DEBUG, this + ": SSL handshake took "
                    + (System.nanoTime() - handshakeStart) / 1_000_000.0 + " ms, "
                    + taskNanos / 1_000_000.0 + " ms of it in delegated tasks");
        }
        appConnected = true;
        if (callConnectionMade) {
            if (plainApp != null) {
                plainApp.connectionMade(appTransport);
            } else {
                bufferedApp.connectionMade(appTransport);
            }
        }
        if (appReadingPaused && state == State.WRAPPED && !tcpEof) {
            transport.pauseReading();
        }
        if (waiter != null && !waiter.done()) {
            waiter.setResult(null);
        }
    }

    /** Hands decrypted bytes to the application; false when there was nothing it could take. */
    private boolean deliver() {
        if (!appIn.hasRemaining()) {
            return false;
        }
        if (state != State.WRAPPED) {
            // the application closed: what still arrives is dropped while close_notify is awaited
            appIn.position(appIn.limit());
            return true;
        }
        if (appReadingPaused) {
            return false;
        }
        if (plainApp != null) {
            appInView.limit(appIn.limit());
            appInView.position(appIn.position());
            appIn.position(appIn.limit());
            try {
                plainApp.dataReceived(appInView);
            } catch (RuntimeException e) {
                fatalFromApp(e, "Fatal error: protocol.dataReceived() call failed.");
            }
            return true;
        }
        while (appIn.hasRemaining() && !appReadingPaused && state == State.WRAPPED && bufferedApp != null) {
            ByteBuffer buf;
            try {
                buf = bufferedApp.getBuffer(appIn.remaining());
                if (buf == null || !buf.hasRemaining()) {
                    throw new IllegalStateException("getBuffer() returned an empty buffer");
                }
            } catch (RuntimeException e) {
                fatalFromApp(e, "Fatal error: protocol.getBuffer() call failed.");
                return true;
            }
            int n = Math.min(buf.remaining(), appIn.remaining());
            buf.put(buf.position(), appIn, appIn.position(), n);
            appIn.position(appIn.position() + n);
            try {
                bufferedApp.bufferUpdated(n);
            } catch (RuntimeException e) {
                fatalFromApp(e, "Fatal error: protocol.bufferUpdated() call failed.");
                return true;
            }
        }
        return true;
    }

    /**
     * The peer's close_notify (or its plain end of stream) after the last delivered byte: the
     * application's {@code eofReceived}, then our side shuts down, as asyncio does.
     */
    private boolean deliverEof() {
        if (state != State.WRAPPED || eofDelivered || appReadingPaused || appIn.hasRemaining()
                || !(peerClosed || tcpEof)) {
            return false;
        }
        eofDelivered = true;
        boolean keepOpen;
        try {
            keepOpen = plainApp != null ? plainApp.eofReceived() : bufferedApp.eofReceived();
        } catch (RuntimeException e) {
            fatalFromApp(e, "Fatal error: protocol.eofReceived() call failed.");
            return true;
        }
        if (keepOpen) {
            LOG.log(System.Logger.Level.WARNING, "returning true from eofReceived() has no effect when using ssl");
        }
        startShutdown();
        return true;
    }

    /** Wraps the plaintext backlog while the transport below takes it. */
    private boolean flushBacklog() throws SSLException {
        if (appOut.isEmpty() || sslWritingPaused || !(state == State.WRAPPED || state == State.FLUSHING)) {
            return false;
        }
        if (engine.isOutboundDone()) {
            // the engine answered the peer's close_notify itself (TLS 1.2): nothing more can go out
            dropBacklog();
            return true;
        }
        boolean progress = false;
        while (!appOut.isEmpty() && !sslWritingPaused && (state == State.WRAPPED || state == State.FLUSHING)) {
            ByteBuffer head = appOut.peekFirst();
            int before = head.remaining();
            boolean moved = wrapOnce(head);
            appOutBytes -= before - head.remaining();
            if (!head.hasRemaining()) {
                appOut.pollFirst();
            }
            if (!moved) {
                break;
            }
            progress = true;
        }
        flow.drained(appOutBytes, app);
        return progress;
    }

    private void dropBacklog() {
        appOut.clear();
        appOutBytes = 0;
        flow.drained(appOutBytes, app);
    }

    private boolean advanceShutdown() throws SSLException {
        if (state == State.FLUSHING && appOut.isEmpty()) {
            state = State.SHUTDOWN;
            engine.closeOutbound();
            return true;
        }
        if (state != State.SHUTDOWN) {
            return false;
        }
        if (!engine.isOutboundDone() && wrapOnce(EMPTY)) {
            return true;
        }
        if (engine.isInboundDone() || peerClosed || tcpEof) {
            // both close_notify went (or the peer can send none): close once the transport drained
            state = State.DONE;
            transport.close();
            return true;
        }
        return false;
    }

    // ---- ending ----

    private void startShutdown() {
        if (state == State.DONE || state == State.FLUSHING || state == State.SHUTDOWN) {
            return;
        }
        if (state != State.WRAPPED) {
            // closing during the handshake aborts it, as in asyncio
            abort();
            return;
        }
        state = State.FLUSHING;
        shutdownTimer = loop.callLater(shutdownTimeout, this::shutdownTimedOut);
        if (appReadingPaused && !tcpEof) {
            // the peer's close_notify must be read
            transport.resumeReading();
        }
        drive();
    }

    private void shutdownTimedOut() {
        shutdownTimer = null;
        if (lost) {
            return;
        }
        lostException = new TimeoutException("SSL shutdown timed out");
        state = State.DONE;
        transport.abort();
    }

    private void handshakeTimedOut() {
        handshakeTimer = null;
        if (state == State.HANDSHAKE) {
            fatal(new SocketTimeoutException("SSL handshake is taking longer than "
                    + handshakeTimeout.toMillis() / 1000.0 + " seconds: aborting the connection"));
        }
    }

    /** Closes at once; {@link #connectionLost} follows. */
    private void abort() {
        if (lost) {
            return;
        }
        state = State.DONE;
        cancelTimers();
        appOut.clear();
        appOutBytes = 0;
        if (transport != null) {
            transport.abort();
        } else {
            connectionLost(null);
        }
    }

    private void fatalFromApp(RuntimeException e, String message) {
        report(message, e);
        lostException = e;
        abort();
    }

    /** A TLS or protocol failure: the alert goes out if the engine has one, then the connection is aborted. */
    private void fatal(Throwable exc) {
        if (lost) {
            return;
        }
        state = State.DONE;
        cancelTimers();
        if (exc instanceof SSLException && netOut != null && transport != null) {
            try {
                // the engine keeps the alert for the peer: send it on a best-effort basis
                netOut.clear();
                engine.wrap(EMPTY, netOut);
                netOut.flip();
                if (netOut.hasRemaining()) {
                    transport.write(netOut);
                }
            } catch (SSLException | RuntimeException ignored) {
                // the alert is a courtesy: the failure is reported all the same
            }
        }
        if (lostException == null) {
            lostException = exc;
        }
        if (!(exc instanceof IOException)) {
            report("Fatal error on SSL protocol", exc);
        } else if (loop.getDebug()) {
            LOG.log(System.Logger.Level.DEBUG, this + ": Fatal error on SSL protocol", exc);
        }
        wakeWaiter(exc);
        abort();
    }

    private void wakeWaiter(Throwable exc) {
        if (waiter != null && !waiter.done()) {
            waiter.setException(exc);
        }
    }

    private void cancelTimers() {
        cancel(handshakeTimer);
        handshakeTimer = null;
        cancel(shutdownTimer);
        shutdownTimer = null;
    }

    private static void cancel(TimerHandle h) {
        if (h != null) {
            h.cancel();
        }
    }

    private void report(String message, Throwable exc) {
        TransportReports.report(loop, message, exc, appTransport, app);
    }

    // ---- the application transport's calls ----

    void appWrite(ByteBuffer data) {
        if (!data.hasRemaining()) {
            return;
        }
        if (appClosed || state == State.FLUSHING || state == State.SHUTDOWN || state == State.DONE
                || engine.isOutboundDone()) {
            if (++droppedWrites >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
                LOG.log(System.Logger.Level.WARNING, "SSL connection is closed");
            }
            data.position(data.limit());
            return;
        }
        if (state == State.WRAPPED && appOut.isEmpty() && !sslWritingPaused) {
            // straight from the caller's buffer into records: no plaintext copy
            try {
                while (data.hasRemaining() && !sslWritingPaused && state == State.WRAPPED) {
                    if (!wrapOnce(data)) {
                        break;
                    }
                }
            } catch (SSLException | RuntimeException e) {
                fatal(e);
                data.position(data.limit());
                return;
            }
        }
        if (!data.hasRemaining() || state == State.DONE) {
            data.position(data.limit());
            return;
        }
        int n = data.remaining();
        ByteBuffer copy = ByteBuffer.allocate(n);
        copy.put(data).flip();
        appOut.addLast(copy);
        appOutBytes += n;
        flow.grew(appOutBytes, app);
        if (!sslWritingPaused && state == State.WRAPPED) {
            drive();
        }
    }

    void appClose() {
        if (appClosed) {
            return;
        }
        appClosed = true;
        startShutdown();
    }

    void appAbort() {
        appClosed = true;
        abort();
    }

    boolean appClosing() {
        return appClosed || lost;
    }

    void appPauseReading() {
        if (appClosing() || appReadingPaused) {
            return;
        }
        appReadingPaused = true;
        if (state == State.WRAPPED && !tcpEof) {
            transport.pauseReading();
        }
    }

    void appResumeReading() {
        if (appClosing() || !appReadingPaused) {
            return;
        }
        appReadingPaused = false;
        if (state == State.WRAPPED && !tcpEof) {
            transport.resumeReading();
        }
        loop.callSoon(this::drive);
    }

    boolean appReading() {
        return !appReadingPaused && !appClosing();
    }

    long writeBufferSize() {
        return appOutBytes;
    }

    long highLimit() {
        return flow.high();
    }

    long lowLimit() {
        return flow.low();
    }

    void setWriteBufferLimits(long high, long low) {
        flow.setLimits(high, low, appOutBytes, app);
    }

    Object extraInfo(String name, Object defaultValue) {
        boolean established = handshaken;
        switch (name) {
            case "sslcontext":
                return context;
            case "ssl_object":
                return engine;
            case "peercert":
                if (!established) {
                    return defaultValue;
                }
                try {
                    return engine.getSession().getPeerCertificates();
                } catch (SSLPeerUnverifiedException e) {
                    return null;
                }
            case "cipher":
                return established ? engine.getSession().getCipherSuite() : defaultValue;
            case "compression":
                // JSSE never compresses (TLS compression is gone for CRIME's sake): asyncio's None
                return established ? null : defaultValue;
            default:
                return transport != null ? transport.getExtraInfo(name, defaultValue) : defaultValue;
        }
    }

    void setAppProtocol(BaseProtocol protocol) {
        if (protocol instanceof Protocol p) {
            plainApp = p;
            bufferedApp = null;
        } else if (protocol instanceof BufferedProtocol b) {
            bufferedApp = b;
            plainApp = null;
        } else {
            throw new IllegalArgumentException("a TLS transport needs a Protocol or a BufferedProtocol, not "
                    + (protocol == null ? "null" : protocol.getClass().getName()));
        }
        app = protocol;
    }

    BaseProtocol appProtocol() {
        return app;
    }

    @Override
    public String toString() {
        return "TlsProtocol[" + state + (engine.getUseClientMode() ? ", client" : ", server") + ", backlog="
                + appOutBytes + ", " + transport + "]";
    }
}
