package org.orderplatform.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.orderplatform.support.Http;
import org.orderplatform.support.PlatformTestSupport;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Management (metrics, info, health with its details) on its own port, and only liveness and readiness, with
 * the verdict alone, on the API port: what load balancers and container health checks probe there. The eight cases
 * need no application of their own, so they share one (Camel's test support, per class).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManagementPortTest extends PlatformTestSupport {
    @Override
    protected void properties(Map<String, String> p) {
        p.put("orders.role", "api");
    }

    private Http publicPort() {
        return Http.anonymous(baseUrl());
    }

    private Http managementPort() {
        return Http.anonymous(managementUrl());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/observe/metrics", "/observe/info", "/observe/health", "/observe/health?exposureLevel=full"})
    void metrics_info_and_health_details_do_not_answer_on_the_api_port(String path) {
        Http.Response r = publicPort().get(path);
        assertThat(r.status()).as(path + " -> " + r.body()).isEqualTo(404);
        assertThat(r.body()).startsWith("{\"error\":\"not_found\"").doesNotContain("jvm_").doesNotContain("\"pid\"")
                .doesNotContain("database");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/observe/health/live", "/observe/health/ready"})
    void liveness_and_readiness_answer_on_the_api_port_with_the_verdict_only(String path) {
        Http.Response r = publicPort().get(path);
        assertThat(r.status()).as(path).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(publicPort().post(path, "application/json", "{}").status()).as("POST " + path).isEqualTo(405);
    }

    @Test
    void the_management_port_serves_metrics_info_and_health() {
        publicPort().createOrder();
        Http.Response metrics = managementPort().get("/observe/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("orders_accepted_total").contains("jvm_memory_used_bytes");
        Http.Response info = managementPort().get("/observe/info");
        assertThat(info.status()).isEqualTo(200);
        assertThat(info.body()).contains("\"pid\"");
        assertThat(managementPort().get("/observe/health/ready").status()).isEqualTo(200);
        assertThat(managementPort().get("/observe/health?exposureLevel=full").body()).contains("database");
    }

    @Test
    void the_management_port_serves_no_api() {
        assertThat(managementPort().get("/orders").status()).isEqualTo(404);
    }
}
