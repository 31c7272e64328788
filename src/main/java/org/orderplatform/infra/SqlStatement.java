package org.orderplatform.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * One SQL statement of the service, read from {@code classpath:sql/<name>.sql}.
 * <p>
 * Where the SQL lives: every statement the service runs is a file in {@code src/main/resources/sql/}, one
 * statement per file, named after what it does ({@code claim-outbox.sql}, {@code complete-orders.sql}, ...),
 * ending with {@code ;}, with named parameters in pgbench's syntax: {@code :name} (PostgreSQL's {@code ::}
 * casts, string literals, quoted names and comments are left alone). The class that runs a statement loads
 * its file once, at class initialisation, into a constant:
 * <pre>{@code
 * private static final SqlStatement COMPLETE = SqlStatement.load("complete-orders");
 * ...
 * COMPLETE.bind(s, orderIds, attempts, eventIds, workerId);   // one value per distinct name, in order
 * }</pre>
 * A name used twice takes one value. The same files run in the benchmark ({@code bench/sql/compose.sh}
 * hands them to pgbench, which sets the parameters with {@code -D name=value}), so a statement is written
 * once. The statements are also the order state machine: see {@code docs/architecture.md}, "SQL and the
 * state machine".
 */
public final class SqlStatement {
    private final String name;
    private final String jdbc;
    private final List<String> occurrences;
    private final List<String> names;

    private SqlStatement(String name, String jdbc, List<String> occurrences) {
        this.name = name;
        this.jdbc = jdbc;
        this.occurrences = List.copyOf(occurrences);
        this.names = List.copyOf(new LinkedHashSet<>(occurrences));
    }

    /** Reads {@code sql/<name>.sql} from the classpath; fails at once when it is missing. */
    public static SqlStatement load(String name) {
        String path = "sql/" + name + ".sql";
        try (InputStream in = SqlStatement.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("no SQL statement " + path + " on the classpath");
            }
            return parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    /**
     * Turns the text of a statement into JDBC text: each {@code :name} becomes {@code ?}, a literal {@code ?}
     * (a jsonb operator) becomes pgjdbc's {@code ??}, comments and the final {@code ;} go.
     */
    public static SqlStatement parse(String name, String text) {
        StringBuilder out = new StringBuilder(text.length());
        List<String> occurrences = new ArrayList<>();
        List<Integer> semicolons = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            char ch = text.charAt(i);
            char next = i + 1 < n ? text.charAt(i + 1) : '\0';
            if (ch == '-' && next == '-') {                       // line comment: dropped, its newline kept
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (ch == '/' && next == '*') {                // block comment (they nest in PostgreSQL)
                int depth = 0;
                do {
                    if (text.startsWith("/*", i)) {
                        depth++;
                        i += 2;
                    } else if (text.startsWith("*/", i)) {
                        depth--;
                        i += 2;
                    } else {
                        i++;
                    }
                } while (depth > 0 && i < n);
                out.append(' ');
            } else if (ch == '\'' || ch == '"') {                 // string literal or quoted name, copied
                boolean backslashEscapes = ch == '\'' && i > 0 && (text.charAt(i - 1) == 'E' || text.charAt(i - 1) == 'e')
                        && (i < 2 || !Character.isLetterOrDigit(text.charAt(i - 2)) && text.charAt(i - 2) != '_');
                int end = i + 1;
                while (end < n) {
                    char c = text.charAt(end);
                    if (backslashEscapes && c == '\\') {
                        end += 2;
                    } else if (c == ch) {
                        if (end + 1 < n && text.charAt(end + 1) == ch) { // '' or "" inside
                            end += 2;
                        } else {
                            break;
                        }
                    } else {
                        end++;
                    }
                }
                end = Math.min(end + 1, n);
                out.append(text, i, end);
                i = end;
            } else if (ch == '$' && dollarTag(text, i) != null) { // dollar-quoted string, copied
                String tag = dollarTag(text, i);
                int close = text.indexOf(tag, i + tag.length());
                int end = close < 0 ? n : close + tag.length();
                out.append(text, i, end);
                i = end;
            } else if (ch == ':' && next == ':') {                // a cast
                out.append("::");
                i += 2;
            } else if (ch == ':' && isNameStart(next)) {          // a parameter
                int end = i + 1;
                while (end < n && isNamePart(text.charAt(end))) {
                    end++;
                }
                occurrences.add(text.substring(i + 1, end));
                out.append('?');
                i = end;
            } else if (ch == '?') {
                out.append("??");
                i++;
            } else if (ch == ';') {
                semicolons.add(out.length());
                out.append(ch);
                i++;
            } else {
                out.append(ch);
                i++;
            }
        }
        if (semicolons.size() > 1 || semicolons.size() == 1 && !out.substring(semicolons.get(0) + 1).isBlank()) {
            throw new IllegalArgumentException("sql/" + name + ".sql holds more than one statement");
        }
        String jdbc = (semicolons.isEmpty() ? out.toString() : out.substring(0, semicolons.get(0))).strip();
        return new SqlStatement(name, jdbc, occurrences);
    }

    /** {@code $tag$} (or {@code $$}) starting at {@code i}, or null when the {@code $} is something else ($1). */
    private static String dollarTag(String text, int i) {
        if (i > 0 && isNamePart(text.charAt(i - 1))) {
            return null;
        }
        if (i + 1 < text.length() && Character.isDigit(text.charAt(i + 1))) {
            return null;
        }
        int end = i + 1;
        while (end < text.length() && isNamePart(text.charAt(end))) {
            end++;
        }
        return end < text.length() && text.charAt(end) == '$' ? text.substring(i, end + 1) : null;
    }

    private static boolean isNameStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isNamePart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    /** The file's name without {@code sql/} and {@code .sql}. */
    public String name() {
        return name;
    }

    /** The statement as JDBC text, with {@code ?} for each parameter occurrence. */
    public String sql() {
        return jdbc;
    }

    /** The distinct parameter names, in the order they first appear: the order {@link #bind(PreparedStatement, Object...)} takes. */
    public List<String> parameterNames() {
        return names;
    }

    public PreparedStatement prepare(Connection connection) throws SQLException {
        return connection.prepareStatement(jdbc);
    }

    /** Binds one value per distinct name, in {@link #parameterNames()} order; a repeated name gets the same value. */
    public void bind(PreparedStatement statement, Object... values) throws SQLException {
        if (values.length != names.size()) {
            throw new IllegalArgumentException("sql/" + name + ".sql takes " + names.size() + " values " + names
                    + ", not " + values.length);
        }
        for (int p = 0; p < occurrences.size(); p++) {
            statement.setObject(p + 1, values[names.indexOf(occurrences.get(p))]);
        }
    }

    /** Binds by name; every name of the statement must have a value (null included), and no other name. */
    public void bind(PreparedStatement statement, Map<String, ?> values) throws SQLException {
        if (!values.keySet().equals(new LinkedHashSet<>(names))) {
            throw new IllegalArgumentException("sql/" + name + ".sql takes " + names + ", not " + values.keySet());
        }
        for (int p = 0; p < occurrences.size(); p++) {
            statement.setObject(p + 1, values.get(occurrences.get(p)));
        }
    }

    @Override
    public String toString() {
        return "sql/" + name + ".sql";
    }
}
