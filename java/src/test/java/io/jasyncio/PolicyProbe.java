package io.jasyncio;

/**
 * Run in a fresh JVM by {@link PolicyTest}: prints which loop the default policy makes, or why it
 * refused to make one.
 */
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
        EventLoop made;
        try {
            made = Asyncio.newEventLoop();
        } catch (IllegalStateException e) {
            System.out.println("refused: " + e.getMessage());
            System.out.println("cause: " + e.getCause());
            return;
        }
        try (EventLoop loop = made) {
            System.out.println("backend=" + ((SelectorEventLoop) loop).backend());
            System.out.println("ran=" + loop.runUntilComplete(() -> Asyncio.sleep(0.001, "yes").await()));
        }
    }
}
