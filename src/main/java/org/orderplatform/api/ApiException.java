package org.orderplatform.api;

/**
 * A request the API refuses, with the HTTP status, a machine-readable code and a message that names the
 * offending field and the rule. Messages never carry stack traces, SQL or class names.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
