package org.orderplatform.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The service's statement files, src/main/resources/sql/*.sql, by name (without .sql), as written. */
public final class SqlFiles {
    public static final Path DIR = Path.of("src", "main", "resources", "sql");

    private SqlFiles() {
    }

    public static Map<String, String> all() {
        Map<String, String> texts = new TreeMap<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".sql")).toList()) {
                texts.put(f.getFileName().toString().replaceFirst("\\.sql$", ""), Files.readString(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return texts;
    }
}
