package io.jasyncio.internal.net;

import java.net.SocketOption;

/** IPV6_V6ONLY, which {@link java.net.StandardSocketOptions} lacks. */
public final class Ipv6Only implements SocketOption<Boolean> {
    /** The option. */
    public static final SocketOption<Boolean> IPV6_V6ONLY = new Ipv6Only();

    private Ipv6Only() {
    }

    @Override
    public String name() {
        return "IPV6_V6ONLY";
    }

    @Override
    public Class<Boolean> type() {
        return Boolean.class;
    }

    @Override
    public String toString() {
        return name();
    }
}
