package org.orderplatform.transport;

import org.junit.jupiter.api.Test;
import org.orderplatform.support.Db;
import org.orderplatform.support.Http;
import org.orderplatform.support.Platform;
import org.orderplatform.support.TestDatabase;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sqs worker handles a receive of up to 10 messages as one batch (one START, one COMPLETE, one call each for
 * deletes and visibility changes). One message's fate must not touch the others': this puts in one receive fresh
 * orders that succeed, retry or dead-letter (failure probability 0.5, 3 attempts), a second copy of one of them,
 * a copy for an order already final, one for an order another worker holds, a message that is no JSON and one
 * naming no order.
 */
class SqsBatchTest {

    private static final Pattern ATTEMPTS = Pattern.compile(
            "(?m)^orders_processing_duration_seconds_count\\{[^}]*} (\\S+)$");

    private static SqsClient client(int port) {
        return SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build();
    }

    private static int messages(SqsClient sqs, String url) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    private static String body(Db db, String id) {
        return db.query("SELECT jsonb_build_object('eventId', id, 'type', event_type, 'orderId', order_id,"
                + " 'correlationId', correlation_id)::text AS body FROM outbox WHERE order_id = ?::uuid", id)
                .get(0).get("body").toString();
    }

    @Test
    void one_message_of_a_batch_never_changes_the_fate_of_the_others() {
        Db db = new Db(TestDatabase.newDatabase("sqs_batch_mix"));
        int port = Platform.freePort();
        Map<String, String> api = Platform.defaults(db.url());
        api.put("orders.transport", "sqs");
        api.put("orders.role", "api");
        api.put("orders.sqs.embedded-port", String.valueOf(port));
        api.put("orders.sqs.relay-interval-ms", "20");
        api.put("orders.sqs.wait-time-seconds", "1");
        api.put("orders.sqs.visibility-timeout-seconds", "2");
        api.put("orders.sqs.max-receive-count", "4");
        try (Platform intake = Platform.start(api); SqsClient sqs = client(port)) {
            Http http = new Http(intake.baseUrl());
            List<String> fresh = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                fresh.add(http.createOrder());
            }
            String finalOrder = http.createOrder();
            String heldOrder = http.createOrder();
            String queue = sqs.getQueueUrl(b -> b.queueName("orders-events")).queueUrl();
            String dlq = sqs.getQueueUrl(b -> b.queueName("orders-events-dlq")).queueUrl();
            await().atMost(Duration.ofSeconds(20)).until(() -> messages(sqs, queue) == 7);
            // already final (a late duplicate), and held by another worker with a live lease
            db.update("UPDATE orders SET status = 'PROCESSED' WHERE id = ?::uuid", finalOrder);
            db.update("UPDATE orders SET status = 'PROCESSING', retry_count = 1, locked_by = 'another-worker',"
                    + " locked_at = now() WHERE id = ?::uuid", heldOrder);
            String first = fresh.get(0);
            sqs.sendMessageBatch(b -> b.queueUrl(queue).entries(
                    SendMessageBatchRequestEntry.builder().id("copy").messageBody(body(db, first)).build(),
                    SendMessageBatchRequestEntry.builder().id("poison").messageBody("this is not json").build(),
                    SendMessageBatchRequestEntry.builder().id("unknown").messageBody("{\"eventId\":1,\"type\":\"OrderCreated\","
                            + "\"orderId\":\"00000000-0000-4000-8000-000000000000\",\"correlationId\":\"x\"}").build()));
            assertThat(messages(sqs, queue)).isEqualTo(10);

            Map<String, String> worker = new HashMap<>(api);
            // ports of its own
            Map<String, String> ports = Platform.defaults(db.url());
            worker.put("camel.server.port", ports.get("camel.server.port"));
            worker.put("camel.management.port", ports.get("camel.management.port"));
            worker.put("orders.role", "worker");
            worker.put("orders.sqs.endpoint", "http://127.0.0.1:" + port);
            worker.put("orders.sqs.concurrent-consumers", "1");
            worker.put("orders.processing.failure-probability", "0.5");
            worker.put("orders.retry.max-attempts", "3");
            worker.put("orders.retry.initial-delay-ms", "500");
            worker.put("orders.retry.max-delay-ms", "1000");
            worker.put("orders.outbox.lock-timeout-seconds", "300");
            try (Platform work = Platform.start(worker)) {
                await().atMost(Duration.ofSeconds(90)).until(() ->
                        db.count("SELECT count(*) FROM orders WHERE id::text = ANY(?) AND status IN ('PROCESSED', 'FAILED')",
                                (Object) fresh.toArray(new String[0])) == 5
                                && messages(sqs, dlq) >= 2
                                // the held order's message stays, or reaches the DLQ after max-receive-count; every
                                // other message is deleted (final, duplicate) or in the DLQ (poison, unknown order)
                                && messages(sqs, queue) + messages(sqs, dlq) == 3);

                long attempts = 0;
                for (String id : fresh) {
                    List<Map<String, Object>> steps = db.query(
                            "SELECT to_status, attempt FROM order_transitions WHERE order_id = ?::uuid ORDER BY id", id);
                    List<String> expected = new ArrayList<>();
                    for (int a = 1; a < steps.size(); a++) {
                        expected.add("PENDING@" + a);
                    }
                    String end = db.query("SELECT status FROM orders WHERE id = ?::uuid", id).get(0).get("status").toString();
                    expected.add(end + "@" + steps.size());
                    assertThat(steps).extracting(r -> r.get("to_status") + "@" + r.get("attempt"))
                            .as("order %s: one attempt after another, one final state", id).containsExactlyElementsOf(expected);
                    attempts += steps.size();
                }
                Matcher m = ATTEMPTS.matcher(new Http(work.managementUrl()).get("/observe/metrics").body());
                assertThat(m.find()).isTrue();
                assertThat((long) Double.parseDouble(m.group(1))).as("attempts run: each one recorded once, none twice")
                        .isEqualTo(attempts);
                assertThat(db.count("SELECT count(*) FROM order_transitions WHERE order_id IN (?::uuid, ?::uuid)",
                        finalOrder, heldOrder)).as("the final and the held order untouched").isZero();
                assertThat(db.query("SELECT status, locked_by FROM orders WHERE id = ?::uuid", heldOrder).get(0))
                        .containsEntry("status", "PROCESSING").containsEntry("locked_by", "another-worker");
                assertThat(db.count("SELECT count(*) FROM dlq WHERE order_id::text <> ALL(?)",
                        (Object) fresh.toArray(new String[0]))).as("only orders that failed are dead-lettered").isZero();
            }
        }
    }
}
