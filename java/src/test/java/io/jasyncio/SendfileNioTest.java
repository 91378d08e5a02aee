package io.jasyncio;

/** sock_sendfile and loop.sendfile on the NIO loop. */
class SendfileNioTest extends SendfileSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}
