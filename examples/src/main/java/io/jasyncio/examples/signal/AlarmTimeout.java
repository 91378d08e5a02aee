package io.jasyncio.examples.signal;

import io.jasyncio.Signal;
import io.jasyncio.Signals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.Pipe;

/**
 * Python's {@code signal} documentation example: an alarm times out an operation that may block
 * forever. Python's handler raises in the main thread; a JVM runs handlers on jasyncio's handler
 * thread, so the handler interrupts the waiting thread, whose interruptible read then fails. The
 * "device" is a pipe nothing writes to. Run with {@code --enable-native-access=ALL-UNNAMED}.
 */
public final class AlarmTimeout {
    private AlarmTimeout() {
    }

    public static void main(String[] args) throws IOException {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Thread main = Thread.currentThread();
        // Set the signal handler and a 5-second alarm
        Signals.signal(Signal.SIGALRM, signal -> {
            System.out.println("Signal handler called with signal " + signal.name() + " (" + signal.number() + ")");
            main.interrupt(); // Python: raise OSError("Couldn't open device!")
        });
        Signals.alarm(seconds);

        // This read may hang indefinitely
        Pipe device = Pipe.open();
        try (Pipe.SourceChannel source = device.source(); Pipe.SinkChannel sink = device.sink()) {
            source.read(ByteBuffer.allocate(1));
            System.out.println("read from the device");
        } catch (ClosedByInterruptException e) {
            System.out.println("Couldn't open device!");
        } finally {
            Signals.alarm(0); // Disable the alarm
            Thread.interrupted();
            Signals.signal(Signal.SIGALRM, Signals.SIG_DFL);
        }
    }
}
