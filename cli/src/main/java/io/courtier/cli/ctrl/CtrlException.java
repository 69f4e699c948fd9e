package io.courtier.cli.ctrl;

/** A command line {@code courtier ctrl} refuses: the message is printed on stderr, the code is the exit status. */
final class CtrlException extends Exception {
    /** mosquitto_ctrl's status for bad arguments (libmosquitto's MOSQ_ERR_INVAL). */
    static final int INVALID = 3;
    /** mosquitto_ctrl's status for a command it does not know. */
    static final int NOT_RECOGNISED = 13;

    final int status;

    CtrlException(String message, int status) {
        super(message, null, false, false);
        this.status = status;
    }

    static CtrlException invalid() {
        return new CtrlException("Error: Invalid function arguments provided.", INVALID);
    }
}
