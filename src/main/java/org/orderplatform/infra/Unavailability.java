package org.orderplatform.infra;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLTransientException;

/**
 * The one classification of "cannot be reached" (as opposed to a bug): what the API answers 503 for and what
 * polling routes report throttled, without a stack trace. Walks the whole cause chain.
 */
public final class Unavailability {

    private Unavailability() {
    }

    /** The database cannot be reached: a transient SQL error, or SQLState class 08 (connection) or 57P (shutdown). */
    public static boolean ofDatabase(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    /** The database or SQS cannot be reached: the above, an I/O error, or the AWS client's own failures. */
    public static boolean ofDatabaseOrSqs(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof SdkClientException || t instanceof QueueDoesNotExistException) {
                return true;
            }
        }
        return ofDatabase(error);
    }
}
