package org.orderplatform.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.orderplatform.client.ApiClient;
import org.orderplatform.client.ApiException;
import org.orderplatform.client.api.DlqApi;
import org.orderplatform.client.api.OrdersApi;
import org.orderplatform.client.model.AcceptedOrder;
import org.orderplatform.client.model.DlqEntry;
import org.orderplatform.client.model.OrderItem;
import org.orderplatform.client.model.OrderRequest;
import org.orderplatform.client.model.OrderView;
import org.orderplatform.support.Http;
import org.orderplatform.support.PlatformTestSupport;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * A client generated from the API description (openapi-generator, Java, library native: see the pom; built from
 * {@code src/test/resources/openapi/order-platform.json}, which {@link ApiDescriptionTest} keeps equal to what the
 * service serves) works against the running service: it creates, reads and lists orders, reads the DLQ, and
 * reprocesses from it. The client refuses properties the document does not describe, so a field the service sends
 * without documenting it fails here. Every attempt fails (AdviceWith) until both orders are dead-lettered; then the
 * cause is gone, and a reprocess completes.
 */
class GeneratedClientTest extends PlatformTestSupport {

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Test
    void a_client_generated_from_the_document_creates_reads_lists_and_reprocesses_orders() throws Exception {
        // every attempt fails until the cause is gone
        AtomicBoolean failing = new AtomicBoolean(true);
        failAttemptsWhile(failing);
        context.start();
        NotifyBuilder deadLettered = whenSentAndDone("direct:dead-lettered", 2);
        OrdersApi orders = new OrdersApi(client(null));
        AcceptedOrder accepted = orders.postOrders(order("SKU-1", 2, "19.99"), "client-1", null, null, null);
        assertThat(accepted.getStatus()).isEqualTo(AcceptedOrder.StatusEnum.PENDING);
        assertThat(accepted.getCorrelationId()).isEqualTo("client-1");
        UUID first = accepted.getOrderId();

        AcceptedOrder keyed = orders.postOrders(order("SKU-2", 1, "5.00"), null, "client-key-1", null, null);
        AcceptedOrder replayed = orders.postOrders(order("SKU-2", 1, "5.00"), null, "client-key-1", null, null);
        assertThat(replayed.getOrderId()).as("the same Idempotency-Key names the same order").isEqualTo(keyed.getOrderId());
        UUID second = keyed.getOrderId();

        OrderView read = orders.getOrder(first);
        assertThat(read.getId()).isEqualTo(first);
        assertThat(read.getCustomerId()).isEqualTo("c-42");
        assertThat(read.getItems()).singleElement().satisfies(item -> {
            assertThat(item.getSku()).isEqualTo("SKU-1");
            assertThat(item.getQuantity()).isEqualTo(2);
            assertThat(item.getUnitPrice()).isEqualByComparingTo("19.99");
        });
        assertThat(read.getTotal()).isEqualByComparingTo("39.98");
        assertThat(read.getCreatedAt()).isNotNull();
        assertThat(orders.getOrders(null, 10, null)).extracting(OrderView::getId).containsExactlyInAnyOrder(first, second);

        ApiException unknown = catchThrowableOfType(ApiException.class, () -> orders.getOrder(UUID.randomUUID()));
        assertThat(unknown.getCode()).isEqualTo(404);
        assertThat(unknown.getResponseBody()).contains("order_not_found");

        // both orders reach the DLQ
        awaitRoute(deadLettered, Duration.ofSeconds(30));
        assertThat(orders.getOrders(OrderView.StatusEnum.FAILED.getValue(), 10, null)).extracting(OrderView::getId)
                .containsExactlyInAnyOrder(first, second);
        ApiException anonymous = catchThrowableOfType(ApiException.class, () -> new DlqApi(client(null)).getDlq(null));
        assertThat(anonymous.getCode()).as("the operator endpoints need the bearer token").isEqualTo(401);
        DlqApi operator = new DlqApi(client(Http.ADMIN_TOKEN));
        List<DlqEntry> dlq = operator.getDlq(50);
        assertThat(dlq).extracting(DlqEntry::getOrderId).containsExactlyInAnyOrder(first, second);
        assertThat(dlq).allSatisfy(entry -> {
            assertThat(entry.getRetryCount()).isEqualTo(3);
            assertThat(entry.getReason()).contains("injected failure");
            assertThat(entry.getFailedAt()).isNotNull();
        });
        assertThat(dlq).filteredOn(entry -> entry.getOrderId().equals(first))
                .singleElement().extracting(DlqEntry::getCorrelationId).isEqualTo("client-1");

        // the cause is gone: processing succeeds
        failing.set(false);
        NotifyBuilder attempt = whenSentAndDone("direct:process-order", 1);
        AcceptedOrder reprocessed = operator.postDlqReprocess(first, null, null);
        assertThat(reprocessed.getOrderId()).isEqualTo(first);
        assertThat(reprocessed.getStatus()).isEqualTo(AcceptedOrder.StatusEnum.PENDING);
        awaitRoute(attempt, Duration.ofSeconds(30));
        // the completion statement follows the attempt (on the outbox, once for the whole batch)
        await().atMost(Duration.ofSeconds(10)).until(() ->
                orders.getOrder(first).getStatus() == OrderView.StatusEnum.PROCESSED);
        assertThat(orders.getOrder(first).getRetryCount()).as("a fresh attempt budget").isEqualTo(1);
        assertThat(orders.getOrder(first).getFailureReason()).isNull();
        assertThat(operator.getDlq(null)).extracting(DlqEntry::getOrderId).containsExactly(second);

        ApiException again = catchThrowableOfType(ApiException.class, () -> operator.postDlqReprocess(first, null, null));
        assertThat(again.getCode()).isEqualTo(404);
        assertThat(again.getResponseBody()).contains("dlq_entry_not_found");
    }

    /** A client of the application; with a token, it sends it as the document's bearer scheme says. */
    private ApiClient client(String token) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(baseUrl());
        client.getObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        if (token != null) {
            client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        }
        return client;
    }

    private static OrderRequest order(String sku, int quantity, String unitPrice) {
        return new OrderRequest().customerId("c-42").currency("EUR")
                .items(List.of(new OrderItem().sku(sku).quantity(quantity).unitPrice(new BigDecimal(unitPrice))));
    }
}
