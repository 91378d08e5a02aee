package io.jasyncio.examples.chat;

import io.jasyncio.SelectorEventLoop;

/** The chat suite on the NIO loop. */
class ChatNioTest extends ChatSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}
