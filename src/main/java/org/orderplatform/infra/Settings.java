package org.orderplatform.infra;

import org.apache.camel.CamelContext;

import java.util.Optional;

/**
 * Typed access to the {@code orders.*} properties. Camel resolves them: application.properties, then
 * upper-snake environment variables ({@code ORDERS_DB_URL}), then {@code -Dkey=value}. A bad value fails
 * the start with a message that names the key.
 */
public final class Settings {
    private final CamelContext context;

    public Settings(CamelContext context) {
        this.context = context;
    }

    public Optional<String> optional(String key) {
        return context.getPropertiesComponent().resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String string(String key) {
        return optional(key).orElseThrow(() -> new IllegalStateException("property " + key + " is not set"));
    }

    /** true or false, nothing else: a typo must not quietly mean false. */
    public boolean flag(String key) {
        String value = string(key);
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalStateException("property " + key + " must be true or false, was '" + value + "'");
    }

    public int integer(String key, int min, int max) {
        long value = parse(key, Long::parseLong);
        if (value < min || value > max) {
            throw new IllegalStateException("property " + key + " must be between " + min + " and " + max + ", was " + value);
        }
        return (int) value;
    }

    public long longValue(String key, long min) {
        long value = parse(key, Long::parseLong);
        if (value < min) {
            throw new IllegalStateException("property " + key + " must be >= " + min + ", was " + value);
        }
        return value;
    }

    public double decimal(String key, double min, double max) {
        double value = parse(key, Double::parseDouble);
        if (value < min || value > max) {
            throw new IllegalStateException("property " + key + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    /** An ISO-8601 duration such as PT1M or P7D. */
    public java.time.Duration duration(String key) {
        String value = string(key);
        try {
            return java.time.Duration.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalStateException("property " + key + " must be an ISO-8601 duration such as PT1M, was '"
                    + value + "'");
        }
    }

    public <E extends Enum<E>> E choice(String key, Class<E> type) {
        String value = string(key);
        try {
            return Enum.valueOf(type, value.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("property " + key + " must be one of "
                    + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase() + ", was '" + value + "'");
        }
    }

    private <T> T parse(String key, java.util.function.Function<String, T> parser) {
        String value = string(key);
        try {
            return parser.apply(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("property " + key + " must be a number, was '" + value + "'");
        }
    }
}
