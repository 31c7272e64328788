package org.orderplatform.transport;

import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.orderplatform.infra.EmbeddedSqs;
import org.orderplatform.support.Db;
import org.orderplatform.support.Http;
import org.orderplatform.support.Orders;
import org.orderplatform.support.Platform;
import org.orderplatform.support.PlatformTestSupport;
import org.orderplatform.support.WithProperties;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;

import java.net.URI;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What only the sqs transport does, against a real SQS-compatible server (the platform's ElasticMQ), on the
 * application booted with Camel's test support ({@link #properties}: the sqs transport on an ElasticMQ port of its
 * own). Two tests keep the hand-made harness and leave the test support's context unstarted: a duplicate needs an
 * api process to fill the queue before any worker runs, and a failed start is a set-up error in the test support.
 */
class SqsTransportTest extends PlatformTestSupport {

    @Override
    protected void properties(Map<String, String> p) {
        p.putAll(sqs(Platform.freePort()));
    }

    @Override
    public boolean isUseAdviceWith() {
        // started by the tests of one application only
        return true;
    }

    /** The embedded ElasticMQ of the application the test support boots. */
    private SqsClient client() {
        return client(Integer.parseInt(property("orders.sqs.embedded-port")));
    }

    /** The sqs transport on the embedded ElasticMQ at {@code sqsPort}, polled fast. */
    private static Map<String, String> sqs(int sqsPort) {
        return Map.of("orders.transport", "sqs", "orders.sqs.embedded-port", String.valueOf(sqsPort),
                "orders.sqs.wait-time-seconds", "1", "orders.sqs.relay-interval-ms", "20");
    }

    /** The properties of a {@link Platform} process: {@link #sqs}, then {@code overrides} (key, value...). */
    private static Map<String, String> config(Db db, int sqsPort, String... overrides) {
        Map<String, String> p = Platform.defaults(db.url());
        p.putAll(sqs(sqsPort));
        for (int i = 0; i + 1 < overrides.length; i += 2) {
            p.put(overrides[i], overrides[i + 1]);
        }
        return p;
    }

    private static SqsClient client(int port) {
        return SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build();
    }

    private static String url(SqsClient sqs, String name) {
        return sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
    }

    private static int messages(SqsClient sqs, String url) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(GetQueueAttributesRequest.builder().queueUrl(url)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE).build()).attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }


    @Test
    @WithProperties("orders.role=api")
    void the_relay_sends_the_event_with_the_correlation_id_as_a_message_attribute() {
        context.start();
        try (SqsClient sqs = client()) {
            NotifyBuilder relayed = whenSentAndDone("aws2-sqs:*", 1);
            String id = http().createOrder("X-Correlation-Id", "sqs-attr-7");
            awaitRoute(relayed, Duration.ofSeconds(20));
            assertThat(db.count("SELECT count(*) FROM outbox WHERE order_id = ?::uuid AND status = 'DONE'", id)).isEqualTo(1);
            List<Message> received = sqs.receiveMessage(b -> b.queueUrl(url(sqs, "orders-events"))
                    .messageAttributeNames("All").waitTimeSeconds(5)).messages();
            assertThat(received).hasSize(1);
            Message m = received.get(0);
            assertThat(m.messageAttributes().get("correlationId").stringValue()).isEqualTo("sqs-attr-7");
            assertThat(m.body()).contains(id).contains("\"correlationId\":\"sqs-attr-7\"").contains("OrderCreated");
            assertThat(new Orders(db).status(id)).as("the api never processes").isEqualTo("PENDING");
        }
    }

    /**
     * One claim of 30 events goes out as three SendMessageBatch calls in parallel; the first one fails for real
     * (AdviceWith points it at a queue that does not exist, and ElasticMQ refuses the call). The promise of
     * docs/transports.md: the two batches SQS accepted are settled with the claim (marked relayed, never sent
     * again), the failed batch's events stay LOCKED until stale-lock recovery returns them and a later claim sends
     * them: every event reaches the queue exactly once, and every order is completed once. The relay is held back
     * while the orders are taken, so that the first claim spans several batches.
     */
    @Test
    @WithProperties({"orders.role=api", "orders.outbox.lock-timeout-seconds=5", "orders.outbox.recovery-interval-ms=200"})
    void a_failed_batch_of_a_claim_is_sent_again_alone_and_the_others_are_settled() throws Exception {
        AtomicBoolean held = new AtomicBoolean(true);
        AtomicBoolean failNext = new AtomicBoolean(true);
        List<String> failedIds = new CopyOnWriteArrayList<>();
        AdviceWith.adviceWith(context, "sqs-relay", route -> {
            route.weaveAddFirst().process(exchange -> exchange.setRouteStop(held.get()));
            // the first batch of the first claim (aggregated first: a strategy that reuses it must not stop the settle)
            route.weaveByToUri("aws2-sqs:*").before().process(exchange -> {
                if (exchange.getProperty(Exchange.SPLIT_INDEX, Integer.class) == 0 && failNext.compareAndSet(true, false)) {
                    SendMessageBatchRequest batch = exchange.getMessage().getBody(SendMessageBatchRequest.class);
                    batch.entries().forEach(e -> failedIds.add(e.id()));
                    exchange.getMessage().setBody(batch.toBuilder().queueUrl(batch.queueUrl() + "-gone").build());
                }
            });
        });
        context.start();
        int orders = 30;
        try (SqsClient sqs = client()) {
            Http http = http();
            for (int i = 0; i < orders; i++) {
                http.createOrder();
            }
            assertThat(db.count("SELECT count(*) FROM outbox WHERE status = 'PENDING'")).isEqualTo(orders);
            assertThat(Integer.parseInt(context.resolvePropertyPlaceholders("{{orders.outbox.batch-size}}")))
                    .as("one claim takes them all").isGreaterThanOrEqualTo(orders);
            held.set(false);

            String queue = url(sqs, "orders-events");
            await().atMost(Duration.ofSeconds(20)).until(() -> db.count("SELECT count(*) FROM outbox WHERE status = 'DONE'") == 20);
            String[] failed = failedIds.toArray(new String[0]);
            assertThat(failed).as("the claim's first batch failed").hasSize(10);
            // within the lock timeout: the failed batch is neither relayed nor released, the others are in the queue once
            assertThat(db.count("SELECT count(*) FROM outbox WHERE id::text = ANY(?) AND status = 'LOCKED'", (Object) failed))
                    .as("the failed batch's events stay LOCKED").isEqualTo(10);
            assertThat(messages(sqs, queue)).as("the batches SQS accepted, once").isEqualTo(20);

            // stale-lock recovery returns them, a later claim sends them; nothing else is sent again
            await().atMost(Duration.ofSeconds(30)).until(() -> db.count("SELECT count(*) FROM outbox WHERE status = 'DONE'") == orders);
            Set<String> relayed = new HashSet<>();
            List<String> copies = new ArrayList<>();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                for (Message m : sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).visibilityTimeout(5)).messages()) {
                    String eventId = m.body().replaceAll(".*\"eventId\":(\\d+).*", "$1");
                    if (!relayed.add(eventId)) {
                        copies.add(eventId);
                    }
                }
                return relayed.size() == orders;
            });
            assertThat(messages(sqs, queue)).as("every event in the queue exactly once").isEqualTo(orders);
            assertThat(copies).isEmpty();
            assertThat(relayed).containsAll(failedIds);

            try (Platform worker = Platform.start(config(db, Platform.freePort(), "orders.role", "worker",
                    "orders.sqs.endpoint", "http://127.0.0.1:" + property("orders.sqs.embedded-port")))) {
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        new Orders(db).withStatus("PROCESSED") == orders && messages(sqs, queue) == 0);
            }
        }
        Orders all = new Orders(db);
        assertThat(all.completions()).as("0 lost").isEqualTo(orders);
        assertThat(all.completedTwice()).as("0 completed twice").isZero();
    }

    /** The redrive DLQ is a queue's state, not a route's: that wait polls the queue. */
    @Test
    @WithProperties({"orders.sqs.visibility-timeout-seconds=1", "orders.sqs.max-receive-count=3",
            "orders.retry.max-attempts=2"})
    void poison_messages_reach_the_redrive_dlq_and_the_worker_keeps_going() {
        context.start();
        try (SqsClient sqs = client()) {
            String queue = url(sqs, "orders-events");
            sqs.sendMessage(b -> b.queueUrl(queue).messageBody("this is not json"));
            sqs.sendMessage(b -> b.queueUrl(queue).messageBody(
                    "{\"eventId\":1,\"type\":\"OrderCreated\",\"orderId\":\"00000000-0000-4000-8000-000000000000\",\"correlationId\":\"x\"}"));
            String dlq = url(sqs, "orders-events-dlq");
            await().atMost(Duration.ofSeconds(60)).until(() -> messages(sqs, dlq) == 2);
            NotifyBuilder attempt = whenSentAndDone("direct:process-order", 1);
            String id = http().createOrder();
            awaitRoute(attempt, Duration.ofSeconds(20));
            new Orders(db).awaitStatus(id, "PROCESSED", Duration.ofSeconds(10));
            assertThat(http().get("/dlq").json()).as("business DLQ untouched").isEmpty();
        }
    }

    @Test
    void a_message_delivered_twice_completes_its_order_once_and_both_copies_are_deleted() {
        int port = Platform.freePort();
        String id;
        String body;
        try (Platform api = Platform.start(config(db, port, "orders.role", "api", "orders.worker.id", "api-1"));
             SqsClient sqs = client(port)) {
            id = new Http(api.baseUrl()).createOrder();
            String queue = url(sqs, "orders-events");
            await().atMost(Duration.ofSeconds(20)).until(() -> messages(sqs, queue) == 1);
            // the same event a second time, as SQS at-least-once delivery may do
            body = db.query("SELECT jsonb_build_object('eventId', id, 'type', event_type, 'orderId', order_id,"
                    + " 'correlationId', correlation_id)::text AS body FROM outbox WHERE order_id = ?::uuid", id).get(0).get("body").toString();
            String copy = body;
            sqs.sendMessage(b -> b.queueUrl(queue).messageBody(copy));
            assertThat(messages(sqs, queue)).isEqualTo(2);
            try (Platform worker = Platform.start(config(db, Platform.freePort(), "orders.role", "worker",
                    "orders.sqs.endpoint", "http://127.0.0.1:" + port))) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> new Orders(db).status(id).equals("PROCESSED") && messages(sqs, queue) == 0);
            }
        }
        assertThat(new Orders(db).completions(id)).isEqualTo(1);
    }

    /**
     * Deletes go out ten at a time, the rest from the acknowledgements timer: 25 orders need two full
     * batches and a partial one, and a stop flushes whatever is left. The deletes are the queue's state and a
     * counter, not a route's completion: that wait polls them.
     */
    @Test
    void every_message_is_deleted_once_its_order_is_final_in_full_and_partial_batches() {
        context.start();
        try (SqsClient sqs = client()) {
            Http http = http();
            NotifyBuilder attempts = whenSentAndDone("direct:process-order", 25);
            for (int i = 0; i < 25; i++) {
                http.createOrder();
            }
            awaitRoute(attempts, Duration.ofSeconds(30));
            String queue = url(sqs, "orders-events");
            await().atMost(Duration.ofSeconds(30)).until(() -> messages(sqs, queue) == 0
                    && Pattern.compile("(?m)^orders_sqs_deleted_total\\{[^}]*} 25\\.0$")
                            .matcher(new Http(managementUrl()).get("/observe/metrics").body()).find());
            assertThat(db.count("SELECT count(*) FROM orders WHERE status = 'PROCESSED'"))
                    .as("a message is deleted once its order is final").isEqualTo(25);
        }
    }

    /**
     * A queue created beforehand keeps its own redrive policy, whatever orders.sqs.max-receive-count says:
     * one that would move messages to the DLQ before their attempts are spent fails the start.
     */
    @Test
    void a_queue_whose_redrive_policy_ends_before_the_attempts_fails_the_start() {
        int port = Platform.freePort();
        EmbeddedSqs server = new EmbeddedSqs("127.0.0.1", port);
        String endpoint = server.startAndGetEndpoint();
        try (SqsClient sqs = client(port)) {
            String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(sqs.createQueue(c -> c.queueName("orders-events-dlq")).queueUrl())
                    .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
            sqs.createQueue(c -> c.queueName("orders-events").attributes(Map.of(QueueAttributeName.REDRIVE_POLICY,
                    "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"2\"}")));
            assertThatThrownBy(() -> Platform.start(config(db, Platform.freePort(), "orders.role", "worker",
                    "orders.sqs.endpoint", endpoint, "orders.retry.max-attempts", "3")).close())
                    .hasMessageContaining("maxReceiveCount 2")
                    .hasMessageContaining("orders.retry.max-attempts (3)");
        } finally {
            server.stop();
        }
    }

    @Test
    @WithProperties({"orders.processing.failure-probability=1.0", "orders.retry.max-attempts=2",
            "orders.retry.initial-delay-ms=2000", "orders.retry.max-delay-ms=2000"})
    void a_retry_waits_at_least_the_backoff_with_the_message_invisible() {
        context.start();
        NotifyBuilder deadLettered = whenSentAndDone("direct:dead-lettered", 1);
        String id = http().createOrder();
        awaitRoute(deadLettered, Duration.ofSeconds(30));
        assertThat(new Orders(db).status(id)).isEqualTo("FAILED");
        List<Map<String, Object>> steps = db.query(
                "SELECT to_status, attempt, at FROM order_transitions WHERE order_id = ?::uuid ORDER BY id", id);
        assertThat(steps).extracting(r -> r.get("to_status") + "@" + r.get("attempt")).containsExactly("PENDING@1", "FAILED@2");
        long gap = ((Timestamp) steps.get(1).get("at")).getTime() - ((Timestamp) steps.get(0).get("at")).getTime();
        assertThat(gap).as("time between the failed first attempt and the end of the second").isGreaterThanOrEqualTo(2000);
    }
}
