package io.jasyncio.compat;

import io.jasyncio.EventLoop;
import io.jasyncio.Socket;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * What a dispatcher reads, writes and has the loop watch: a {@link Socket}, or for
 * {@link FileDispatcher} a descriptor or a channel (asyncore's {@code file_wrapper}).
 */
abstract class Endpoint {

    /** {@return the bytes read, 0 at end of stream, or {@link Socket#WOULD_BLOCK}} */
    abstract int read(ByteBuffer dst) throws IOException;

    /** {@return the bytes written, 0 when full} */
    abstract int write(ByteBuffer src) throws IOException;

    /** Throws the failure of a connect under way (files: nothing to do). */
    abstract void finishConnect() throws IOException;

    abstract boolean isClosed();

    abstract void close() throws IOException;

    abstract void addReader(EventLoop loop, Runnable callback);

    abstract void removeReader(EventLoop loop);

    abstract void addWriter(EventLoop loop, Runnable callback);

    abstract void removeWriter(EventLoop loop);

    /** A socket. */
    static final class OfSocket extends Endpoint {
        final Socket socket;

        OfSocket(Socket socket) {
            this.socket = socket;
        }

        @Override
        int read(ByteBuffer dst) throws IOException {
            return socket.recv(dst);
        }

        @Override
        int write(ByteBuffer src) throws IOException {
            return socket.send(src);
        }

        @Override
        void finishConnect() throws IOException {
            socket.finishConnect();
        }

        @Override
        boolean isClosed() {
            return socket.isClosed();
        }

        @Override
        void close() throws IOException {
            socket.close();
        }

        @Override
        void addReader(EventLoop loop, Runnable callback) {
            loop.addReader(socket, callback);
        }

        @Override
        void removeReader(EventLoop loop) {
            loop.removeReader(socket);
        }

        @Override
        void addWriter(EventLoop loop, Runnable callback) {
            loop.addWriter(socket, callback);
        }

        @Override
        void removeWriter(EventLoop loop) {
            loop.removeWriter(socket);
        }
    }
}
