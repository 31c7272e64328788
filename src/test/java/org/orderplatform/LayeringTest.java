package org.orderplatform;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Packages depend downwards only (docs/architecture.md, Java layout): infra and domain know nothing above them. */
class LayeringTest {
    private static final Path MAIN = Path.of("src/main/java/org/orderplatform");

    @Test
    void infra_imports_no_package_above_it() throws IOException {
        assertThat(importsOf("infra", "api", "worker", "transport", "observability")).isEmpty();
    }

    @Test
    void domain_imports_no_other_package_of_the_platform() throws IOException {
        assertThat(importsOf("domain", "api", "worker", "transport", "observability", "infra")).isEmpty();
    }

    private static List<String> importsOf(String pkg, String... above) throws IOException {
        try (Stream<Path> files = Files.walk(MAIN.resolve(pkg))) {
            return files.filter(f -> f.toString().endsWith(".java")).flatMap(f -> {
                try {
                    return Files.readAllLines(f).stream().filter(line -> Stream.of(above)
                            .anyMatch(a -> line.startsWith("import org.orderplatform." + a + ".")))
                            .map(line -> f.getFileName() + ": " + line);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
    }
}
