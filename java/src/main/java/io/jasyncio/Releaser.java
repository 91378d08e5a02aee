package io.jasyncio;

/** The {@link Held} that the primitives' {@code hold()} methods return: releases once. */
final class Releaser implements Held {
    private final Runnable release;
    private boolean released;

    Releaser(Runnable release) {
        this.release = release;
    }

    @Override
    public void close() {
        if (!released) {
            released = true;
            release.run();
        }
    }
}
