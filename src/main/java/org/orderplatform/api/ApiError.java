package org.orderplatform.api;

/** Every error body: a machine-readable code and a message naming the field and the rule. */
public record ApiError(String error, String message) {
}
