package dev.resty4j.testing;

/**
 * A {@link MockRequest} did not finish within its timeout: a script is still waiting (a sleep, a
 * cosocket with no answer) or looping. The message says how far the response got.
 */
public final class MockTimeoutException extends RuntimeException {

    MockTimeoutException(String message) {
        super(message);
    }
}
