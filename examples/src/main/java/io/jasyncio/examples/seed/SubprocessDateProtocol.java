package io.jasyncio.examples.seed;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.SubprocessOptions;
import io.jasyncio.SubprocessProtocol;
import io.jasyncio.Stdio;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * asyncio's "Subprocess using transport and protocol" (the docs' {@code get_date} with a
 * {@code DateProtocol}): runs {@code date}, collects its stdout through the protocol and prints
 * the line once the child has exited and its pipes are closed.
 */
public final class SubprocessDateProtocol {
    private SubprocessDateProtocol() {
    }

    /** Collects stdout; completes {@code exitFuture} once the transport is done. */
    static final class DateProtocol implements SubprocessProtocol {
        private final Future<Void> exitFuture;
        private final ByteArrayOutputStream output = new ByteArrayOutputStream();

        DateProtocol(Future<Void> exitFuture) {
            this.exitFuture = exitFuture;
        }

        @Override
        public void pipeDataReceived(int fd, ByteBuffer data) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            output.writeBytes(b);
        }

        @Override
        public void connectionLost(Throwable exc) {
            exitFuture.setResult(null);
        }
    }

    static String getDate() throws Exception {
        EventLoop loop = Asyncio.getRunningLoop();
        Future<Void> exitFuture = loop.createFuture();
        // Create the subprocess controlled by DateProtocol; redirect the standard output into a pipe.
        var made = loop.subprocessExec(() -> new DateProtocol(exitFuture), List.of("date"),
                new SubprocessOptions().stdin(Stdio.DEVNULL).stdout(Stdio.PIPE)).await();
        // Wait for the subprocess exit using the processExited() method of the protocol.
        exitFuture.await();
        // Close the stdout pipe.
        made.transport().close();
        // Read the output which was collected by the pipeDataReceived() method of the protocol.
        return made.protocol().output.toString(StandardCharsets.US_ASCII).stripTrailing();
    }

    public static void main(String[] args) {
        System.out.println("Current date: " + Asyncio.run(SubprocessDateProtocol::getDate));
    }
}
