package org.orderplatform.domain;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.orderplatform.domain.OrderStatus.FAILED;
import static org.orderplatform.domain.OrderStatus.PENDING;
import static org.orderplatform.domain.OrderStatus.PROCESSED;
import static org.orderplatform.domain.OrderStatus.PROCESSING;

class OrderTransitionTest {

    private static final Set<List<OrderStatus>> LEGAL = Set.of(
            List.of(PENDING, PROCESSING),
            List.of(PROCESSING, PROCESSED),
            List.of(PROCESSING, PENDING),
            List.of(PROCESSING, FAILED),
            List.of(FAILED, PENDING));

    /** Every ordered pair of states, legal or not: 16 cases. */
    static Stream<Arguments> allPairs() {
        List<Arguments> pairs = new ArrayList<>();
        for (OrderStatus from : OrderStatus.values()) {
            for (OrderStatus to : OrderStatus.values()) {
                pairs.add(Arguments.of(from, to));
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("allPairs")
    void only_the_five_designed_moves_are_legal(OrderStatus from, OrderStatus to) {
        boolean legal = LEGAL.contains(List.of(from, to));
        assertThat(OrderTransition.isLegal(from, to)).isEqualTo(legal);
        if (legal) {
            OrderTransition t = OrderTransition.between(from, to);
            assertThat(t.from()).isEqualTo(from);
            assertThat(t.to()).isEqualTo(to);
        } else {
            assertThatThrownBy(() -> OrderTransition.between(from, to))
                    .isInstanceOf(IllegalTransitionException.class)
                    .hasMessageContaining(from + " -> " + to);
        }
    }

    @org.junit.jupiter.api.Test
    void processed_is_final_and_only_reprocess_leaves_failed() {
        for (OrderStatus to : OrderStatus.values()) {
            assertThat(OrderTransition.isLegal(PROCESSED, to)).isFalse();
        }
        assertThat(OrderTransition.between(FAILED, PENDING)).isEqualTo(OrderTransition.REPROCESS);
    }
}
