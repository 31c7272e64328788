package org.orderplatform.infra;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.UUID;

/** Small JDBC helpers shared by the stores. */
public final class Jdbc {
    private static final DateTimeFormatter ISO_UTC = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'");

    private Jdbc() {
    }

    public static Array uuidArray(Connection connection, Collection<UUID> ids) throws SQLException {
        return connection.createArrayOf("uuid", ids.toArray());
    }

    public static Array bigintArray(Connection connection, Collection<Long> ids) throws SQLException {
        return connection.createArrayOf("bigint", ids.toArray());
    }

    public static Array intArray(Connection connection, Collection<Integer> values) throws SQLException {
        return connection.createArrayOf("integer", values.toArray());
    }

    /** ISO-8601 in UTC with milliseconds, or null. */
    public static String iso(OffsetDateTime time) {
        return time == null ? null : time.withOffsetSameInstant(ZoneOffset.UTC).format(ISO_UTC);
    }
}
