package org.orderplatform.docs;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps docs/configuration.md and application.properties from drifting apart: every key of the file is
 * documented with the same default, every documented key exists, and every key the code reads (through
 * {@code Settings} or a route placeholder) is in the file, so no knob goes undocumented. Plain file parsing:
 * no application is started.
 */
class ConfigurationDocTest {
    private static final Path PROPERTIES = Path.of("application.properties");
    private static final Path DOC = Path.of("docs/configuration.md");
    private static final String START = "<!-- properties:start";
    private static final String END = "<!-- properties:end";
    /** The default column shows an empty value like this, since an empty code span does not render. */
    private static final String EMPTY = "_(empty)_";

    /**
     * A table row whose first cell is a property key in backticks: | `key` | default | effect |. Keys may
     * carry map indexes, as in camel.rest.apiProperties[api.title].
     */
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([A-Za-z][A-Za-z0-9._\\[\\]-]*)`\\s*\\|([^|]*)\\|.*\\|\\s*$");
    private static final Pattern CODE_SPAN = Pattern.compile("^`([^`]*)`$");
    /**
     * Keys the Java code reads through Settings (settings.integer("orders.db.pool-size", ...)); other string
     * literals that look like keys, such as meter names, are not properties. And keys in route
     * placeholders ({{orders.outbox.batch-size}}).
     */
    private static final Pattern KEY_IN_JAVA = Pattern.compile("\\bsettings\\.[A-Za-z]+\\(\\s*\"([^\"]+)\"");
    private static final Pattern KEY_IN_ROUTE = Pattern.compile("\\{\\{\\??((?:orders|camel)\\.[A-Za-z0-9.-]+)");

    private static Map<String, String> properties;
    private static Map<String, String> documented;
    private static List<String> docProblems;

    @BeforeAll
    static void read() throws IOException {
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(PROPERTIES, StandardCharsets.UTF_8)) {
            p.load(reader);
        }
        properties = new LinkedHashMap<>();
        p.stringPropertyNames().stream().sorted().forEach(k -> properties.put(k, p.getProperty(k).trim()));

        documented = new LinkedHashMap<>();
        docProblems = new ArrayList<>();
        boolean inside = false;
        boolean sawEnd = false;
        for (String line : Files.readAllLines(DOC, StandardCharsets.UTF_8)) {
            if (line.startsWith(START)) {
                inside = true;
            } else if (line.startsWith(END)) {
                inside = false;
                sawEnd = true;
            } else if (inside) {
                Matcher row = ROW.matcher(line.trim());
                if (row.matches()) {
                    String key = row.group(1);
                    String value = defaultValue(key, row.group(2).trim());
                    if (documented.put(key, value) != null) {
                        docProblems.add(key + " is documented twice");
                    }
                }
            }
        }
        if (!sawEnd) {
            docProblems.add(DOC + " lacks the markers '" + START + "' and '" + END + "' around the property tables");
        }
    }

    private static String defaultValue(String key, String cell) {
        if (cell.equals(EMPTY)) {
            return "";
        }
        Matcher code = CODE_SPAN.matcher(cell);
        if (code.matches()) {
            return code.group(1);
        }
        docProblems.add(key + ": default must be `value` or " + EMPTY + ", was '" + cell + "'");
        return null;
    }

    @Test
    void the_doc_tables_are_well_formed() {
        assertThat(docProblems).as("problems in " + DOC).isEmpty();
        assertThat(documented).as("property rows found in " + DOC).isNotEmpty();
    }

    @Test
    void every_key_of_application_properties_is_documented() {
        TreeSet<String> missing = new TreeSet<>(properties.keySet());
        missing.removeAll(documented.keySet());
        assertThat(missing).as("keys in " + PROPERTIES + " without a row in " + DOC).isEmpty();
    }

    @Test
    void every_documented_key_exists_in_application_properties() {
        TreeSet<String> unknown = new TreeSet<>(documented.keySet());
        unknown.removeAll(properties.keySet());
        assertThat(unknown).as("rows in " + DOC + " for keys that " + PROPERTIES + " does not define").isEmpty();
    }

    @Test
    void every_documented_default_is_the_one_in_application_properties() {
        List<String> differences = new ArrayList<>();
        documented.forEach((key, doc) -> {
            String actual = properties.get(key);
            if (actual != null && doc != null && !doc.equals(actual)) {
                differences.add(key + ": " + DOC + " says '" + doc + "', " + PROPERTIES + " has '" + actual + "'");
            }
        });
        assertThat(differences).isEmpty();
    }

    @Test
    void every_key_the_code_reads_is_in_application_properties() throws IOException {
        TreeSet<String> read = new TreeSet<>();
        collect(Path.of("src/main/java"), ".java", KEY_IN_JAVA, read);
        collect(Path.of("src/main/resources/routes"), ".yaml", KEY_IN_ROUTE, read);
        assertThat(read).as("keys found in src/main").isNotEmpty();
        read.removeAll(properties.keySet());
        assertThat(read).as("keys the code reads that " + PROPERTIES + " (and so " + DOC + ") does not define")
                .isEmpty();
    }

    private static void collect(Path root, String suffix, Pattern pattern, TreeSet<String> keys) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(suffix)).toList()) {
                Matcher m = pattern.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (m.find()) {
                    keys.add(m.group(1));
                }
            }
        }
    }
}
