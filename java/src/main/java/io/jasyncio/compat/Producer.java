package io.jasyncio.compat;

/**
 * What {@link AsyncChat#pushWithProducer} sends from: asynchat's producer protocol, one method.
 */
@FunctionalInterface
public interface Producer {

    /**
     * The next bytes to send.
     *
     * @return the next chunk; an empty array or null once there is no more
     * @throws Exception if producing fails (the channel's {@code handleError} gets it)
     */
    byte[] more() throws Exception;
}
