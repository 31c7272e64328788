package org.orderplatform.infra;

/**
 * Whether this jar carries the embedded servers. {@code order-platform-slim.jar} (the production image's
 * jar) leaves out the embedded PostgreSQL and ElasticMQ; asking it for one must fail the start with a
 * message that says what to configure, not with a {@code NoClassDefFoundError}. This class names theirs
 * only as strings: loading it touches neither.
 */
public final class EmbeddedServers {
    static final String POSTGRES = "io.zonky.test.db.postgres.embedded.EmbeddedPostgres";
    static final String ELASTICMQ = "org.elasticmq.rest.sqs.SQSRestServerBuilder";

    private EmbeddedServers() {
    }

    /** Before starting the embedded PostgreSQL (orders.embedded.enabled=true and no orders.db.url). */
    public static void requirePostgres() {
        require(POSTGRES, "PostgreSQL", "orders.db.url (ORDERS_DB_URL)");
    }

    /** Before starting the embedded SQS (orders.embedded.enabled=true and no orders.sqs.endpoint). */
    public static void requireSqs() {
        require(ELASTICMQ, "SQS (ElasticMQ)", "orders.sqs.endpoint (ORDERS_SQS_ENDPOINT), or none for AWS's own SQS,");
    }

    static void require(String className, String server, String setting) {
        if (!present(className)) {
            throw new IllegalStateException("orders.embedded.enabled=true asks for an embedded " + server
                    + ", but this jar has no embedded servers (order-platform-slim.jar): set " + setting
                    + " and orders.embedded.enabled=false (ORDERS_EMBEDDED_ENABLED), or run order-platform.jar");
        }
    }

    static boolean present(String className) {
        try {
            Class.forName(className, false, EmbeddedServers.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
