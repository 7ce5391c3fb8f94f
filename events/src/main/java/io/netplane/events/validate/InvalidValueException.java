package io.netplane.events.validate;

/**
 * A value a user gave that netplane refuses. The message is the user-facing error (Docker's words
 * where Docker has them) and never carries more than a short, escaped excerpt of the value.
 */
public class InvalidValueException extends RuntimeException {

    public InvalidValueException(String message) {
        super(message, null, false, false);
    }
}
