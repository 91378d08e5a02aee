package io.jasyncio.internal.natives;

import io.jasyncio.internal.backend.EpollPoller;
import java.io.IOException;

/** Run in a fresh JVM by {@link NativeLibraryTest}: prints what the loader decided. */
public final class LoaderProbe {

    private LoaderProbe() {
    }

    /**
     * Prints {@code available=}, {@code reason=} and {@code poller=} lines.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        System.out.println("available=" + NativeLibrary.isAvailable());
        System.out.println("reason=" + NativeLibrary.unavailableReason());
        try {
            NativeLibrary.ensureLoaded();
            System.out.println("ensureLoaded=ok");
        } catch (UnsatisfiedLinkError e) {
            System.out.println("ensureLoaded=" + e.getMessage());
        }
        try (EpollPoller poller = new EpollPoller()) {
            System.out.println("poller=" + poller.name());
        } catch (IOException e) {
            System.out.println("poller=" + e.getMessage());
        }
    }
}
