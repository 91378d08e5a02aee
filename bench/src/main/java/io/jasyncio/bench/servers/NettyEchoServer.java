package io.jasyncio.bench.servers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The Netty reference of the echo benchmarks: Netty's native epoll transport with one event-loop
 * thread that both accepts and serves every connection, echoing each read back as it is (no copy)
 * and flushing once per read batch, the way Netty's own echo example does.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar \
 *     io.jasyncio.bench.servers.NettyEchoServer PORT</pre>
 *
 * <p>Started by {@code bench/servers.sh echo netty-epoll PORT}. Listens on 127.0.0.1:PORT until
 * SIGTERM or SIGINT; a shutdown hook then closes the listener and the loop (the JVM exits with
 * the signal's status, 143 for SIGTERM).
 */
public final class NettyEchoServer {

    private NettyEchoServer() {}

    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        static final Echo INSTANCE = new Echo();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
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

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: NettyEchoServer PORT");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        if (!Epoll.isAvailable()) {
            System.err.println("NettyEchoServer: native epoll unavailable: " + Epoll.unavailabilityCause());
            System.exit(1);
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        CountDownLatch stopped = new CountDownLatch(1);
        try {
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(EpollServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(Echo.INSTANCE)
                    .bind(new InetSocketAddress("127.0.0.1", port))
                    .sync()
                    .channel();
            server.closeFuture().addListener((ChannelFutureListener) f -> stopped.countDown());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            }, "netty-echo-shutdown"));
            stopped.await();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
