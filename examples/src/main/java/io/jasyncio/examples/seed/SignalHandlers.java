package io.jasyncio.examples.seed;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;

/** The seed's "Set signal handlers for SIGINT and SIGTERM": either signal stops the loop. */
public final class SignalHandlers {
    private SignalHandlers() {
    }

    static void askExit(String signame, EventLoop loop) {
        System.out.println("got signal " + signame + ": exit");
        loop.stop();
    }

    public static void main(String[] args) {
        EventLoop loop = Asyncio.newEventLoop();
        for (String signame : new String[] {"SIGINT", "SIGTERM"}) {
            loop.addSignalHandler(signame, () -> askExit(signame, loop));
        }
        System.out.println("Event loop running forever, press Ctrl+C to interrupt.");
        System.out.println("pid " + ProcessHandle.current().pid() + ": send SIGINT or SIGTERM to exit.");
        System.out.flush();
        try {
            loop.runForever();
        } finally {
            loop.close();
        }
    }
}
