package io.jasyncio;

/** {@link CpythonRunnersSuite} on java.nio's Selector. */
class CpythonRunnersNioTest extends CpythonRunnersSuite {
    @Override
    SelectorEventLoop.Backend backend() {
        return SelectorEventLoop.Backend.NIO;
    }
}
