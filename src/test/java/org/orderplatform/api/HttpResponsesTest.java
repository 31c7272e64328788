package org.orderplatform.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Camel's MDC logging is off (camel.main.useMdcLogging=false), so nothing but the service clears the
 * correlation id it puts in the MDC: a request's id must not tag what its thread logs next.
 */
class HttpResponsesTest {

    @Test
    void answering_takes_the_requests_correlation_id_out_of_the_mdc() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(HttpRequests.CORRELATION_HEADER, "request-1");
        new HttpRequests(new OrderRequestParser(), 50, 500).correlate(exchange);
        assertThat(MDC.get(HttpRequests.CORRELATION_PROPERTY)).as("while the request runs").isEqualTo("request-1");

        exchange.getMessage().setBody(List.of());
        new HttpResponses(new ObjectMapper(), 10_000).ok(exchange);

        assertThat(MDC.get(HttpRequests.CORRELATION_PROPERTY)).as("after the answer").isNull();
        assertThat(exchange.getMessage().getHeader(HttpRequests.CORRELATION_HEADER)).isEqualTo("request-1");
    }

    @Test
    void a_refusal_also_takes_it_out() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(HttpRequests.CORRELATION_HEADER, "request-2");
        new HttpRequests(new OrderRequestParser(), 50, 500).correlate(exchange);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new ApiException(400, "invalid_json", "not JSON"));

        new HttpResponses(new ObjectMapper(), 10_000).failure(exchange);

        assertThat(MDC.get(HttpRequests.CORRELATION_PROPERTY)).isNull();
        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(400);
    }
}
