package io.jasyncio.examples.chat;

import io.jasyncio.SelectorEventLoop;

/** The chat suite on the epoll loop. */
class ChatEpollTest extends ChatSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.EPOLL;
    }
}
