package org.orderplatform.infra;

import org.junit.jupiter.api.Test;
import org.orderplatform.support.SqlFiles;
import org.orderplatform.support.TestDatabase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The loader of sql/*.sql: what is a parameter and what is not, and binding by name or in order. */
class SqlStatementTest {

    @Test
    void named_parameters_become_placeholders_in_order_and_casts_stay() {
        SqlStatement s = SqlStatement.parse("t", "SELECT :a::int, :b::jsonb, x::text FROM t WHERE y = :a;\n");

        assertThat(s.sql()).isEqualTo("SELECT ?::int, ?::jsonb, x::text FROM t WHERE y = ?");
        assertThat(s.parameterNames()).containsExactly("a", "b");
    }

    @Test
    void comments_strings_quoted_names_and_dollar_quotes_hold_no_parameters() {
        SqlStatement s = SqlStatement.parse("t", """
                -- header: with :not_a_parameter
                SELECT 'a:b', 'it''s :x', E'\\' :y', "col:z", $$ :w $$, $tag$ :v $tag$, /* :u /* :nested */ */ :real
                  FROM t -- trailing :comment
                ;""");

        assertThat(s.parameterNames()).containsExactly("real");
        assertThat(s.sql()).contains("'a:b'", "'it''s :x'", "E'\\' :y'", "\"col:z\"", "$$ :w $$", "$tag$ :v $tag$")
                .doesNotContain("header", "nested", "trailing").endsWith("?\n  FROM t");
    }

    @Test
    void a_question_mark_is_escaped_for_jdbc_and_positional_dollars_are_not_quotes() {
        SqlStatement s = SqlStatement.parse("t", "SELECT doc ? 'key', $1 FROM t WHERE id = :id");

        assertThat(s.sql()).isEqualTo("SELECT doc ?? 'key', $1 FROM t WHERE id = ?");
    }

    @Test
    void more_than_one_statement_is_refused() {
        assertThatThrownBy(() -> SqlStatement.parse("two", "SELECT 1; SELECT 2;"))
                .hasMessageContaining("sql/two.sql holds more than one statement");
        assertThat(SqlStatement.parse("one", "SELECT ';'  ;  \n").sql()).isEqualTo("SELECT ';'");
    }

    @Test
    void a_missing_file_fails_at_load() {
        assertThatThrownBy(() -> SqlStatement.load("no-such-statement"))
                .hasMessageContaining("sql/no-such-statement.sql");
    }

    @Test
    void binds_a_repeated_name_once_by_order_or_by_name() throws Exception {
        SqlStatement s = SqlStatement.parse("t", "SELECT :a::int + :b::int + :a::int");
        try (Connection c = DriverManager.getConnection(
                TestDatabase.newDatabase("sql_statement"), "postgres", "");
             PreparedStatement p = s.prepare(c)) {
            s.bind(p, 1, 10);
            assertThat(single(p)).isEqualTo(12);

            Map<String, Object> byName = new HashMap<>();
            byName.put("b", 100);
            byName.put("a", 2);
            s.bind(p, byName);
            assertThat(single(p)).isEqualTo(104);

            assertThatThrownBy(() -> s.bind(p, 1)).hasMessageContaining("takes 2 values [a, b], not 1");
            assertThatThrownBy(() -> s.bind(p, Map.of("a", 1))).hasMessageContaining("takes [a, b]");
        }
    }

    /** Every file of the service loads, and each ends with ; as pgbench needs (bench/sql/compose.sh). */
    @Test
    void every_statement_file_loads() {
        Map<String, String> files = SqlFiles.all();
        assertThat(files).hasSizeGreaterThan(20);
        files.forEach((name, text) -> {
            assertThat(SqlStatement.load(name).sql()).as(name).isNotBlank();
            assertThat(text.strip()).as(name).endsWith(";");
        });
    }

    private static int single(PreparedStatement p) throws Exception {
        try (ResultSet rs = p.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
