package org.orderplatform.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.orderplatform.support.Db;
import org.orderplatform.support.Http;
import org.orderplatform.support.Platform;
import org.orderplatform.support.TestDatabase;
import org.yaml.snakeyaml.Yaml;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Prometheus alert rules ({@code deploy/prometheus/alerts.yml}) and the Grafana dashboard
 * ({@code deploy/grafana/order-platform.json}) against the service they watch: every metric and label they
 * query is one the real application serves at {@code /observe/metrics} (a renamed meter or a disabled Camel
 * metric would otherwise leave an alert silently empty), the database-outage alert watches what an outage
 * really changes, every alert has its runbook section, and promtool accepts the rules and their unit tests.
 */
class PrometheusRulesTest {
    private static final Path RULES = Path.of("deploy/prometheus/alerts.yml");
    private static final Path RULE_TESTS = Path.of("deploy/prometheus/alerts.test.yml");
    private static final Path PROMETHEUS_CONFIG = Path.of("deploy/prometheus/prometheus.yml");
    private static final Path DASHBOARD = Path.of("deploy/grafana/order-platform.json");
    private static final Path RUNBOOK = Path.of("docs/operations.md");
    /** Series Prometheus writes itself for every target, not served by the service. */
    private static final Set<String> FROM_PROMETHEUS = Set.of("up");
    /** Labels Prometheus attaches to every scraped series. */
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The scrape targets are the management port, where /observe/metrics is served, never the API's port. */
    @Test
    @SuppressWarnings("unchecked")
    void prometheus_scrapes_the_management_port_and_not_the_api_port() throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("application.properties"), StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        Map<String, Object> config;
        try (Reader in = Files.newBufferedReader(PROMETHEUS_CONFIG, StandardCharsets.UTF_8)) {
            config = new Yaml().load(in);
        }
        List<String> targets = new ArrayList<>();
        for (Object job : (List<Object>) config.get("scrape_configs")) {
            Map<String, Object> scrape = (Map<String, Object>) job;
            assertThat(scrape.get("metrics_path")).isEqualTo("/observe/metrics");
            for (Object statics : (List<Object>) scrape.get("static_configs")) {
                targets.addAll((List<String>) ((Map<String, Object>) statics).get("targets"));
            }
        }
        assertThat(targets).isNotEmpty()
                .allSatisfy(t -> assertThat(t).endsWith(":" + properties.getProperty("camel.management.port"))
                        .doesNotEndWith(":" + properties.getProperty("camel.server.port")));
    }

    // ---------------------------------------------------------------------------------------------------
    // Against the running service

    @Test
    void every_metric_and_label_the_rules_and_the_dashboard_query_is_served_by_the_service() throws Exception {
        Map<String, Set<String>> served = new TreeMap<>();
        // outbox: the worker's metrics; sqs: the relay's and the SQS worker's. A failing order fills the
        // retry and dead-letter counters and both histograms.
        for (Map<String, String> transport : List.of(
                Map.of("orders.transport", "outbox"),
                Map.of("orders.transport", "sqs",
                        "orders.sqs.embedded-port", String.valueOf(Platform.freePort()),
                        "orders.sqs.wait-time-seconds", "1"))) {
            Db db = new Db(TestDatabase.newDatabase("prom_names_" + transport.get("orders.transport")));
            Map<String, String> p = Platform.defaults(db.url());
            p.putAll(transport);
            p.put("orders.processing.failure-probability", "1.0");
            p.put("orders.retry.max-attempts", "2");
            try (Platform platform = Platform.start(p)) {
                Http http = new Http(platform.baseUrl());
                http.createOrder();
                await().atMost(Duration.ofSeconds(30)).until(() -> db.count("SELECT count(*) FROM dlq") == 1);
                String scrape = new Http(platform.managementUrl()).get("/observe/metrics").body();
                Files.writeString(Path.of("target", "observe-metrics-" + transport.get("orders.transport") + ".txt"), scrape);
                exposition(scrape).forEach((name, labels) -> served.computeIfAbsent(name, n -> new TreeSet<>()).addAll(labels));
            }
        }

        List<String> problems = new ArrayList<>();
        Map<String, String> queries = new LinkedHashMap<>(ruleQueries());
        queries.putAll(dashboardQueries());
        for (Map.Entry<String, String> q : queries.entrySet()) {
            Query query = Query.parse(q.getValue());
            assertThat(query.metrics()).as("metrics of " + q.getKey()).isNotEmpty();
            Set<String> labelsOfQuery = new TreeSet<>(TARGET_LABELS);
            for (Map.Entry<String, Set<String>> selector : query.metrics().entrySet()) {
                String name = selector.getKey();
                if (FROM_PROMETHEUS.contains(name)) {
                    continue;
                }
                Set<String> labels = served.get(name);
                if (labels == null) {
                    problems.add(q.getKey() + ": metric " + name + " is not served at /observe/metrics");
                    continue;
                }
                labelsOfQuery.addAll(labels);
                for (String label : selector.getValue()) {
                    if (!labels.contains(label) && !TARGET_LABELS.contains(label)) {
                        problems.add(q.getKey() + ": " + name + " has no label " + label + " (it has " + labels + ")");
                    }
                }
            }
            for (String label : query.groupingLabels()) {
                if (!labelsOfQuery.contains(label)) {
                    problems.add(q.getKey() + ": grouping label " + label + " is on none of its metrics");
                }
            }
        }
        assertThat(problems).as("queries that ask for what the service does not serve").isEmpty();
    }

    /**
     * Readiness is not a metric; OrderPlatformDatabaseUnreachable stands in for its database part by
     * watching the handled failures of the route metrics-sampler. This shows that they do count while
     * readiness is 503, and stop when the database is back.
     */
    @Test
    void the_database_alert_counts_failed_samples_while_readiness_is_down_and_stops_when_it_is_back() throws Exception {
        String url = TestDatabase.newDatabase("prom_outage");
        String database = url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
        Db db = new Db(url);
        Map<String, String> p = Platform.defaults(db.url());
        p.put("orders.metrics.sample-interval-ms", "200");
        p.put("orders.db.connection-timeout-ms", "500");
        try (Platform platform = Platform.start(p)) {
            Http http = new Http(platform.baseUrl());
            Http management = new Http(platform.managementUrl());
            assertThat(http.get("/observe/health/ready").status()).isEqualTo(200);
            assertThat(samplerFailures(management)).isZero();

            refuseConnections(database, true);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/observe/health/ready").status() == 503);
                double down = samplerFailures(management);
                await().atMost(Duration.ofSeconds(30)).until(() -> samplerFailures(management) > down);
            } finally {
                refuseConnections(database, false);
            }

            await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/observe/health/ready").status() == 200);
            // and the count stands still again (the alert's increase() drains to 0): three sampler runs
            // in a row without a new failure
            double[] mark = {samplerRuns(management), samplerFailures(management)};
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                double runs = samplerRuns(management);
                double failures = samplerFailures(management);
                if (failures != mark[1]) {
                    mark[0] = runs;
                    mark[1] = failures;
                }
                return runs >= mark[0] + 3;
            });
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // The files alone

    @Test
    void every_alert_has_a_severity_a_summary_a_description_and_a_runbook_section() throws IOException {
        Set<String> anchors = anchors(Files.readString(RUNBOOK));
        List<Map<String, Object>> rules = alertRules();
        assertThat(rules).hasSizeGreaterThanOrEqualTo(5);
        for (Map<String, Object> rule : rules) {
            String alert = (String) rule.get("alert");
            Map<String, Object> labels = map(rule.get("labels"));
            Map<String, Object> annotations = map(rule.get("annotations"));
            assertThat(labels.get("severity")).as(alert + " severity").isIn("critical", "warning", "info");
            assertThat((String) annotations.get("summary")).as(alert + " summary").isNotBlank();
            assertThat((String) annotations.get("description")).as(alert + " description").isNotBlank();
            String runbook = (String) annotations.get("runbook_url");
            assertThat(runbook).as(alert + " runbook_url").startsWith(RUNBOOK + "#");
            assertThat(anchors).as("sections of " + RUNBOOK + " (for " + alert + ")")
                    .contains(runbook.substring(runbook.indexOf('#') + 1));
        }
    }

    /** promtool runs the tests; this makes sure each alert (and each of its severities) has them. */
    @Test
    @SuppressWarnings("unchecked")
    void every_alert_is_unit_tested_firing_at_each_severity_and_quiet() throws IOException {
        Map<String, Set<String>> fired = new TreeMap<>();
        Set<String> quiet = new TreeSet<>();
        Map<String, Object> tests;
        try (Reader reader = Files.newBufferedReader(RULE_TESTS)) {
            tests = new Yaml().load(reader);
        }
        for (Object test : (List<Object>) tests.get("tests")) {
            for (Object check : (List<Object>) map(test).getOrDefault("alert_rule_test", List.of())) {
                String alert = (String) map(check).get("alertname");
                List<Object> expected = (List<Object>) map(check).get("exp_alerts");
                if (expected == null || expected.isEmpty()) {
                    quiet.add(alert);
                }
                for (Object e : expected == null ? List.of() : expected) {
                    fired.computeIfAbsent(alert, a -> new TreeSet<>()).add((String) map(map(e).get("exp_labels")).get("severity"));
                }
            }
        }
        for (Map<String, Object> rule : alertRules()) {
            String alert = (String) rule.get("alert");
            assertThat(fired.getOrDefault(alert, Set.of())).as(alert + " fired at severity").contains((String) map(rule.get("labels")).get("severity"));
            assertThat(quiet).as("alerts shown quiet").contains(alert);
        }
    }

    @Test
    void the_dashboard_takes_its_data_source_from_a_variable() throws IOException {
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
        boolean variable = false;
        for (JsonNode v : dashboard.at("/templating/list")) {
            variable |= v.path("name").asText().equals("DS_PROMETHEUS") && v.path("type").asText().equals("datasource")
                    && v.path("query").asText().equals("prometheus");
        }
        assertThat(variable).as("a datasource variable DS_PROMETHEUS").isTrue();
        int targets = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.at("/datasource/uid").asText()).as(panel.path("title").asText()).isEqualTo("${DS_PROMETHEUS}");
                targets++;
            }
        }
        assertThat(targets).isGreaterThan(10);
        assertThat(dashboardQueries().values()).anyMatch(q -> q.contains("histogram_quantile(0.99")
                && q.contains("orders_end_to_end_seconds_bucket"));
    }

    /** The extractor the name check relies on, on the shapes the rules and the dashboard use. */
    @Test
    void the_query_reader_finds_metrics_their_label_matchers_and_grouping_labels() {
        Query q = Query.parse("histogram_quantile(0.95, sum by (le) (rate(orders_end_to_end_seconds_bucket"
                + "{instance=~\"$instance\", transport!=\"x}y\"}[$__rate_interval]))) > 1e3");
        assertThat(q.metrics()).isEqualTo(Map.of("orders_end_to_end_seconds_bucket", Set.of("instance", "transport")));
        assertThat(q.groupingLabels()).containsExactly("le");

        q = Query.parse("max(orders_outbox_ready + orders_outbox_locked) > 0\nunless on ()\n"
                + "sum(increase(orders_processed_total[10m]) + increase(orders_relay_sent_total[10m] offset 5m)) > 0");
        assertThat(q.metrics().keySet()).containsExactlyInAnyOrder("orders_outbox_ready", "orders_outbox_locked",
                "orders_processed_total", "orders_relay_sent_total");

        q = Query.parse("max(orders_dlq_size) > min_over_time(max(orders_dlq_size)[15m:1m]) and up{job=\"order-platform\"} == 0");
        assertThat(q.metrics().keySet()).containsExactlyInAnyOrder("orders_dlq_size", "up");
        assertThat(q.metrics().get("up")).containsExactly("job");

        q = Query.parse("sum without (instance, pod) (rate(camel_exchanges_failed_total{eventType=\"route\"}[5m]))");
        assertThat(q.metrics()).isEqualTo(Map.of("camel_exchanges_failed_total", Set.of("eventType")));
        assertThat(q.groupingLabels()).containsExactlyInAnyOrder("instance", "pod");
    }

    // ---------------------------------------------------------------------------------------------------
    // promtool

    @Test
    void promtool_accepts_the_rules_passes_their_unit_tests_and_parses_the_dashboard_queries() throws Exception {
        Optional<Path> promtool = onPath("promtool");
        assumeTrue(promtool.isPresent(), "promtool is not on the PATH (Debian: apt-get install prometheus; .ci/run installs it)");
        String tool = promtool.get().toString();
        run(tool, "check", "rules", RULES.toString());
        run(tool, "test", "rules", RULE_TESTS.toString());
        run(tool, "check", "config", PROMETHEUS_CONFIG.toString());

        // The dashboard's PromQL, with Grafana's variables filled in, as recording rules: promtool parses them.
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int i = 0;
        for (String expr : dashboardQueries().values()) {
            String promql = expr.replace("$__rate_interval", "5m").replace("$instance", ".*");
            rules.append("      - record: dashboard:query").append(i++).append('\n')
                    .append("        expr: ").append(JSON.writeValueAsString(promql)).append('\n');
        }
        Path file = Path.of("target", "dashboard-queries.rules.yml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, rules);
        String out = run(tool, "check", "rules", file.toString());
        assertThat(out).contains("SUCCESS: " + i + " rules found");
    }

    // ---------------------------------------------------------------------------------------------------
    // helpers

    /** Metric names of a Prometheus text exposition, with the label names each carries. */
    private static Map<String, Set<String>> exposition(String scrape) {
        Map<String, Set<String>> metrics = new TreeMap<>();
        Pattern line = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+\\S+.*$");
        Pattern label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");
        for (String l : scrape.split("\n")) {
            Matcher m = line.matcher(l);
            if (l.startsWith("#") || !m.matches()) {
                continue;
            }
            Set<String> labels = metrics.computeIfAbsent(m.group(1), n -> new TreeSet<>());
            if (m.group(2) != null) {
                Matcher lm = label.matcher(m.group(2));
                while (lm.find()) {
                    labels.add(lm.group(1));
                }
            }
        }
        assertThat(metrics).as("metrics in the scrape").containsKey("orders_accepted_total");
        return metrics;
    }

    /** {@code management}: the management server, where /observe/metrics is served. */
    private static double sample(Http management, String metric, String routeId) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + "\\{[^}]*routeId=\"" + Pattern.quote(routeId) + "\"[^}]*} (\\S+)$")
                .matcher(management.get("/observe/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static double samplerFailures(Http http) {
        return sample(http, "camel_exchanges_failures_handled_total", "metrics-sampler");
    }

    private static double samplerRuns(Http http) {
        return sample(http, "camel_exchanges_total", "metrics-sampler");
    }

    /**
     * The database refuses new connections and its open ones are cut: to the service, as unreachable as a
     * stopped server, without stopping the one PostgreSQL the other test classes share.
     */
    private static void refuseConnections(String database, boolean refuse) throws Exception {
        try (Connection c = TestDatabase.server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS " + !refuse);
            if (refuse) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> alertRules() throws IOException {
        Map<String, Object> file;
        try (Reader reader = Files.newBufferedReader(RULES)) {
            file = new Yaml().load(reader);
        }
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Object group : (List<Object>) file.get("groups")) {
            for (Object rule : (List<Object>) map(group).get("rules")) {
                rules.add(map(rule));
            }
        }
        return rules;
    }

    /** "alerts.yml OrderPlatformX (severity)" -> expr. */
    private static Map<String, String> ruleQueries() throws IOException {
        Map<String, String> queries = new LinkedHashMap<>();
        for (Map<String, Object> rule : alertRules()) {
            String name = rule.containsKey("alert") ? (String) rule.get("alert") : (String) rule.get("record");
            queries.put("alerts.yml " + name + " (" + map(rule.get("labels")).get("severity") + ")", (String) rule.get("expr"));
        }
        return queries;
    }

    /** "dashboard panel / refId" -> expr, and the templating queries (label_values(metric, label) as metric{label}). */
    private static Map<String, String> dashboardQueries() throws IOException {
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.put("dashboard \"" + panel.path("title").asText() + "\" " + target.path("refId").asText(),
                        target.path("expr").asText());
            }
        }
        Pattern labelValues = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,\\s*([a-zA-Z_]\\w*)\\s*\\)");
        for (JsonNode variable : dashboard.at("/templating/list")) {
            if (variable.path("type").asText().equals("query")) {
                Matcher m = labelValues.matcher(variable.at("/query/query").asText());
                assertThat(m.matches()).as("variable " + variable.path("name").asText()).isTrue();
                queries.put("dashboard variable " + variable.path("name").asText(), m.group(1) + "{" + m.group(2) + "!=\"\"}");
            }
        }
        return queries;
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
    private static Set<String> anchors(String markdown) {
        Set<String> anchors = new LinkedHashSet<>();
        for (String line : markdown.split("\n")) {
            if (line.startsWith("#")) {
                anchors.add(line.replaceFirst("^#+\\s*", "").trim().toLowerCase(Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    private static Optional<Path> onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command) + " finished").isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + " failed:\n" + out).isZero();
        return out;
    }

    /**
     * The metric names a PromQL expression selects, each with the label names its matchers use, and the
     * labels of its grouping clauses (by, without, on, ignoring, group_left/right). Enough PromQL for what
     * rules and dashboards write; not a parser of the whole language.
     */
    record Query(Map<String, Set<String>> metrics, Set<String> groupingLabels) {
        private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)?\\s*\\{((?:[^}\"]|\"(?:[^\"\\\\]|\\\\.)*\")*)}");
        private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)\\s*\"(?:[^\"\\\\]|\\\\.)*\"");
        private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
        private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()");
        private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "offset", "bool", "by", "without",
                "on", "ignoring", "group_left", "group_right", "inf", "nan", "atan2");

        static Query parse(String expr) {
            // Grafana's variables: $__rate_interval stands in ranges, $name in strings
            String s = expr.replace("$__rate_interval", "5m").replaceAll("\\$\\{?\\w+}?", "v");
            Map<String, Set<String>> metrics = new TreeMap<>();
            StringBuilder rest = new StringBuilder();
            Matcher m = SELECTOR.matcher(s);
            while (m.find()) {
                if (m.group(1) == null) {
                    throw new IllegalArgumentException("selector without a metric name in: " + expr);
                }
                Set<String> labels = metrics.computeIfAbsent(m.group(1), n -> new TreeSet<>());
                Matcher lm = MATCHER.matcher(m.group(2));
                while (lm.find()) {
                    labels.add(lm.group(1));
                }
                m.appendReplacement(rest, " ");
            }
            m.appendTail(rest);
            s = rest.toString().replaceAll("\\[[^]]*]", " ");
            Set<String> grouping = new TreeSet<>();
            Matcher g = GROUPING.matcher(s);
            while (g.find()) {
                for (String label : g.group(1).split(",")) {
                    if (!label.isBlank()) {
                        grouping.add(label.trim());
                    }
                }
            }
            s = GROUPING.matcher(s).replaceAll(" ");
            Matcher id = IDENTIFIER.matcher(s);
            while (id.find()) {
                if (!KEYWORDS.contains(id.group(1).toLowerCase(Locale.ROOT))) {
                    metrics.computeIfAbsent(id.group(1), n -> new TreeSet<>());
                }
            }
            return new Query(metrics, grouping);
        }
    }
}
