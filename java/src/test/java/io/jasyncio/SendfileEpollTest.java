package io.jasyncio;

/** sock_sendfile and loop.sendfile on the epoll loop. */
class SendfileEpollTest extends SendfileSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}
