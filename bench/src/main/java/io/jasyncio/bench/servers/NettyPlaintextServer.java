package io.jasyncio.bench.servers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The Netty reference of the plaintext benchmark: Netty's native epoll transport with one
 * event-loop thread, {@link HttpServerCodec} decoding requests and encoding responses, and a
 * handler answering {@code GET /plaintext} with {@code Hello, World!} (headers {@code Server},
 * {@code Date}, {@code Content-Type: text/plain}, {@code Content-Length: 13}), other paths with
 * 404 and other methods with 405, as jasyncio's {@code PlaintextServer} does. The way Netty's
 * users write it: the body is a shared read-only buffer, the date a cached header value the
 * event loop rewrites once a second, responses are written per request and flushed once per read
 * batch ({@code channelReadComplete}), and a request that is not keep-alive
 * ({@code Connection: close}, HTTP/1.0) closes the connection after its response.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar \
 *     io.jasyncio.bench.servers.NettyPlaintextServer PORT</pre>
 *
 * <p>Started by {@code bench/servers.sh plaintext netty-codec PORT}. Listens on 127.0.0.1:PORT
 * until SIGTERM or SIGINT; a shutdown hook then closes the listener and the loop.
 */
public final class NettyPlaintextServer {

    private static final AsciiString SERVER_NAME = AsciiString.cached("netty");
    private static final ByteBuf HELLO = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer().writeBytes("Hello, World!".getBytes(StandardCharsets.US_ASCII)).asReadOnly());
    private static final ByteBuf NOT_FOUND = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer().writeBytes("Not Found".getBytes(StandardCharsets.US_ASCII)).asReadOnly());
    private static final ByteBuf NOT_ALLOWED = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer().writeBytes("Method Not Allowed".getBytes(StandardCharsets.US_ASCII)).asReadOnly());
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /** The Date header's value, rewritten once a second on the (one) event loop. */
    private static AsciiString date = now();

    private NettyPlaintextServer() {}

    private static AsciiString now() {
        return new AsciiString(HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC)));
    }

    /** Answers each request as it is decoded; flushes once per read batch. */
    private static final class Handler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest request) {
                    answer(ctx, request);
                }
                // HttpContent (the empty last content of a GET, or a body) is dropped.
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private static void answer(ChannelHandlerContext ctx, HttpRequest request) {
            if (request.decoderResult().isFailure()) {
                write(ctx, HttpResponseStatus.BAD_REQUEST, Unpooled.EMPTY_BUFFER, false);
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (!request.uri().equals("/plaintext")) {
                write(ctx, HttpResponseStatus.NOT_FOUND, NOT_FOUND, keepAlive);
            } else if (!request.method().equals(HttpMethod.GET)) {
                write(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, NOT_ALLOWED, keepAlive);
            } else {
                write(ctx, HttpResponseStatus.OK, HELLO, keepAlive);
            }
        }

        private static void write(ChannelHandlerContext ctx, HttpResponseStatus status, ByteBuf body, boolean keepAlive) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body.duplicate(), false);
            response.headers()
                    .set(HttpHeaderNames.SERVER, SERVER_NAME)
                    .set(HttpHeaderNames.DATE, date)
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
            if (keepAlive) {
                ctx.write(response, ctx.voidPromise());
            } else {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /**
     * Runs the server.
     *
     * @param args the port
     * @throws Exception if it cannot listen
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: NettyPlaintextServer PORT");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        if (!Epoll.isAvailable()) {
            System.err.println("NettyPlaintextServer: native epoll unavailable: " + Epoll.unavailabilityCause());
            System.exit(1);
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        CountDownLatch stopped = new CountDownLatch(1);
        try {
            group.next().scheduleAtFixedRate(() -> date = now(), 1000 - System.currentTimeMillis() % 1000 + 1, 1000,
                    TimeUnit.MILLISECONDS);
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(EpollServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new Handler());
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", port))
                    .sync()
                    .channel();
            System.err.println("Netty plaintext server (epoll, HttpServerCodec) on 127.0.0.1:" + port);
            server.closeFuture().addListener((ChannelFutureListener) f -> stopped.countDown());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            }, "netty-plaintext-shutdown"));
            stopped.await();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
