package io.jasyncio;

/** Run in a fresh JVM by {@link PolicyTest}: prints which loop the default policy makes. */
public final class PolicyProbe {
    private PolicyProbe() {
    }

    public static void main(String[] args) {
        try (EventLoop loop = Asyncio.newEventLoop()) {
            System.out.println("backend=" + ((SelectorEventLoop) loop).backend());
            System.out.println("ran=" + loop.runUntilComplete(() -> Asyncio.sleep(0.001, "yes").await()));
        }
    }
}
