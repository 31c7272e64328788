package org.orderplatform.deploy;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code terraform fmt -check -recursive infra}, as CI runs it. Only fmt: init, validate and plan need
 * providers, which cannot be downloaded where the build runs. Without a terraform binary on the PATH the
 * test is skipped with a message (the parse and wiring checks of {@link TerraformWiringTest} still run).
 */
class TerraformFormatTest {

    private static Path terraformOnPath() {
        String path = System.getenv("PATH");
        return path == null ? null : Stream.of(path.split(File.pathSeparator))
                .map(dir -> Path.of(dir, "terraform"))
                .filter(Files::isExecutable)
                .findFirst().orElse(null);
    }

    @Test
    void infra_is_terraform_fmt_clean() throws IOException, InterruptedException {
        Path terraform = terraformOnPath();
        assumeTrue(terraform != null, "no terraform binary on the PATH: terraform fmt -check skipped");
        assertThat(Terraform.files()).as(".tf files under infra/").isNotEmpty();
        Process process = new ProcessBuilder(terraform.toString(), "fmt", "-check", "-recursive", "-diff", "-no-color",
                Terraform.INFRA.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("terraform fmt finished").isTrue();
        assertThat(process.exitValue())
                .as("terraform fmt -check -recursive infra: these files need `terraform fmt`:%n%s", output)
                .isZero();
    }
}
