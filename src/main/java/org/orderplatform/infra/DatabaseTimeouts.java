package org.orderplatform.infra;

import java.util.Properties;

/**
 * The PostgreSQL driver's own timeouts, in seconds (0 = none): reaching the server, logging in, and any read,
 * a statement's result included; and the server-side statement timeout in ms (0 = none). The socket timeout is
 * what ends a statement whose connection a partition left open and silent, so with a socket timeout the
 * statement timeout must be set and below it: a slow statement is cancelled by the server first.
 */
public record DatabaseTimeouts(int connectSeconds, int loginSeconds, int socketSeconds, long statementTimeoutMs) {

    public DatabaseTimeouts {
        if (socketSeconds > 0 && (statementTimeoutMs == 0 || statementTimeoutMs >= socketSeconds * 1000L)) {
            throw new IllegalStateException("orders.db.statement-timeout-ms (" + statementTimeoutMs + ") must be set "
                    + "and below orders.db.socket-timeout-seconds (" + socketSeconds + " s): a slow statement is "
                    + "cancelled by the server before the driver gives its connection up");
        }
    }

    public static DatabaseTimeouts of(Settings settings) {
        return new DatabaseTimeouts(settings.integer("orders.db.connect-timeout-seconds", 0, 3600),
                settings.integer("orders.db.login-timeout-seconds", 0, 3600),
                settings.integer("orders.db.socket-timeout-seconds", 0, 86_400),
                settings.longValue("orders.db.statement-timeout-ms", 0));
    }

    /** The driver properties (connectTimeout, loginTimeout, socketTimeout), for the pool and any own connection. */
    public Properties driverProperties() {
        Properties p = new Properties();
        p.setProperty("connectTimeout", String.valueOf(connectSeconds));
        p.setProperty("loginTimeout", String.valueOf(loginSeconds));
        p.setProperty("socketTimeout", String.valueOf(socketSeconds));
        return p;
    }
}
