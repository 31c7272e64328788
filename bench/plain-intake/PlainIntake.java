import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jackson.JacksonDataFormat;
import org.apache.camel.main.Main;

/**
 * The plain Camel intake, the benchmark's second ceiling: what a competent Camel user writes in one page to
 * accept an order. Camel Main, one route: platform-http (Vert.x) {@code POST /orders}, Jackson reads the body
 * into a record, the service's own intake statement ({@code sql/insert-order-with-event.sql} from the
 * service's jar) runs once through HikariCP, and the answer is {@code 202 {"orderId": ...}}. A body Jackson
 * cannot read, or an order that is obviously wrong, gets a 400 with a JSON error.
 *
 * <p>Built and run by {@code bench/run.sh}: {@code javac -cp order-platform.jar}, then
 * {@code java -Xmx256m -cp order-platform.jar:classes PlainIntake}, with {@code -Dplain.port},
 * {@code -Dplain.db.url}, {@code -Dplain.db.username}, {@code -Dplain.db.password} and
 * {@code -Dplain.db.pool-size} (default 16, the service's {@code orders.db.pool-size}).
 */
public final class PlainIntake {

    static final ObjectMapper JSON = new ObjectMapper();

    /** The request body; the compact constructor refuses what no order can be (Jackson answers 400 then). */
    public record Order(String customerId, String currency, List<Line> items) {
        public Order {
            if (customerId == null || customerId.isBlank() || currency == null || currency.length() != 3
                    || items == null || items.isEmpty()) {
                throw new IllegalArgumentException("customerId, a 3-letter currency and at least one item are required");
            }
        }

        BigDecimal total() {
            return items.stream().map(l -> l.unitPrice().multiply(BigDecimal.valueOf(l.quantity())))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
        }
    }

    public record Line(String sku, int quantity, BigDecimal unitPrice) {
        public Line {
            if (sku == null || sku.isBlank() || quantity < 1 || unitPrice == null || unitPrice.signum() < 0) {
                throw new IllegalArgumentException("each item needs a sku, a quantity >= 1 and a unitPrice >= 0");
            }
        }
    }

    /** The service's intake statement with its named parameters as JDBC's ? (in order), and their names. */
    record Statement(String sql, List<String> names) {
        static Statement load(String resource) throws IOException {
            try (InputStream in = PlainIntake.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException(resource + " is not on the classpath");
                }
                return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }

        /** :name becomes ?, PostgreSQL's ::casts stay, -- comments and the trailing semicolon go. */
        static Statement parse(String text) {
            StringBuilder sql = new StringBuilder();
            List<String> names = new ArrayList<>();
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == '-' && text.startsWith("--", i)) {
                    int end = text.indexOf('\n', i);
                    i = end < 0 ? text.length() : end;
                } else if (c == '\'') {
                    int end = text.indexOf('\'', i + 1);
                    end = end < 0 ? text.length() : end + 1;
                    sql.append(text, i, end);
                    i = end;
                } else if (c == ':' && text.startsWith("::", i)) {
                    sql.append("::");
                    i += 2;
                } else if (c == ':' && i + 1 < text.length() && Character.isJavaIdentifierStart(text.charAt(i + 1))) {
                    int end = i + 1;
                    while (end < text.length() && Character.isJavaIdentifierPart(text.charAt(end))) {
                        end++;
                    }
                    names.add(text.substring(i + 1, end));
                    sql.append('?');
                    i = end;
                } else {
                    sql.append(c);
                    i++;
                }
            }
            String trimmed = sql.toString().strip();
            if (trimmed.endsWith(";")) {
                trimmed = trimmed.substring(0, trimmed.length() - 1);
            }
            return new Statement(trimmed.strip(), List.copyOf(names));
        }
    }

    static final class IntakeRoute extends RouteBuilder {
        private final HikariDataSource dataSource;
        private final Statement insert;

        IntakeRoute(HikariDataSource dataSource, Statement insert) {
            this.dataSource = dataSource;
            this.insert = insert;
        }

        @Override
        public void configure() {
            onException(JsonProcessingException.class, IllegalArgumentException.class)
                    .handled(true)
                    .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(400))
                    .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                    .setBody(constant("{\"error\":\"invalid_order\",\"message\":\"the body is not a valid order\"}"));

            from("platform-http:/orders?httpMethodRestrict=POST")
                    .routeId("plain-intake")
                    .unmarshal(new JacksonDataFormat(JSON, Order.class))
                    .process(this::store)
                    .marshal(new JacksonDataFormat(JSON, Map.class))
                    .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(202));
        }

        /** One statement, one commit (autocommit): the order and its outbox event. */
        private void store(Exchange exchange) throws Exception {
            Order order = exchange.getMessage().getBody(Order.class);
            UUID id = UUID.randomUUID();
            Map<String, Object> values = new java.util.HashMap<>();
            values.put("id", id);
            values.put("customer_id", order.customerId());
            values.put("currency", order.currency());
            values.put("items", JSON.writeValueAsString(order.items()));
            values.put("total", order.total());
            values.put("correlation_id", UUID.randomUUID().toString());
            values.put("traceparent", null);
            try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(insert.sql())) {
                for (int i = 0; i < insert.names().size(); i++) {
                    s.setObject(i + 1, values.get(insert.names().get(i)));
                }
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("the intake statement returned no row");
                    }
                }
            }
            exchange.getMessage().setBody(Map.of("orderId", id.toString()));
        }
    }

    public static void main(String[] args) throws Exception {
        Statement insert = Statement.load("sql/insert-order-with-event.sql");
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(System.getProperty("plain.db.url", "jdbc:postgresql://127.0.0.1:5432/postgres"));
        pool.setUsername(System.getProperty("plain.db.username", "postgres"));
        pool.setPassword(System.getProperty("plain.db.password", ""));
        pool.setMaximumPoolSize(Integer.getInteger("plain.db.pool-size", 16));
        try (HikariDataSource dataSource = new HikariDataSource(pool)) {
            Main main = new Main();
            // the service's jar is on the classpath: do not load its application.properties (its routes)
            main.setDefaultPropertyPlaceholderLocation("false");
            main.addInitialProperty("camel.server.enabled", "true");
            main.addInitialProperty("camel.server.port", System.getProperty("plain.port", "8080"));
            main.configure().addRoutesBuilder(new IntakeRoute(dataSource, insert));
            main.run(args);
        }
    }
}
