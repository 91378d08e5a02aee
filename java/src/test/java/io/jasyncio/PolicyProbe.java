package io.jasyncio;

/** Run in a fresh JVM by {@link PolicyTest}: prints which loop the default policy makes. */
public final class PolicyProbe {
    private PolicyProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("main-thread")) {
            EventLoop first = Asyncio.getEventLoop();
            System.out.println("main thread gets a loop: " + (first instanceof SelectorEventLoop)
                    + ", the same one again: " + (first == Asyncio.getEventLoop()));
            String[] other = new String[1];
            Thread t = new Thread(() -> {
                try {
                    Asyncio.getEventLoop();
                    other[0] = "made one";
                } catch (IllegalStateException e) {
                    other[0] = "refused";
                }
            });
            t.start();
            t.join();
            System.out.println("another thread: " + other[0]);
            first.close();
            return;
        }
        try (EventLoop loop = Asyncio.newEventLoop()) {
            System.out.println("backend=" + ((SelectorEventLoop) loop).backend());
            System.out.println("ran=" + loop.runUntilComplete(() -> Asyncio.sleep(0.001, "yes").await()));
        }
    }
}
