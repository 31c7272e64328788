package org.orderplatform.infra;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The heap free ratios the embedded SQS's JVM sets for itself at run time, in either order of the two flags. */
class HeapFreeRatioTest {
    private static final HotSpotDiagnosticMXBean VM = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);

    @Test
    void sets_both_ratios_at_run_time_and_back() {
        String min = value(HeapFreeRatio.MIN);
        String max = value(HeapFreeRatio.MAX);
        try {
            HeapFreeRatio.limit(10, 30);
            assertThat(value(HeapFreeRatio.MIN)).isEqualTo("10");
            assertThat(value(HeapFreeRatio.MAX)).isEqualTo("30");
            // raising both above the current max: max first
            HeapFreeRatio.limit(50, 80);
            assertThat(value(HeapFreeRatio.MIN)).isEqualTo("50");
            assertThat(value(HeapFreeRatio.MAX)).isEqualTo("80");
        } finally {
            HeapFreeRatio.limit(Integer.parseInt(min), Integer.parseInt(max));
        }
        assertThat(value(HeapFreeRatio.MIN)).isEqualTo(min);
        assertThat(value(HeapFreeRatio.MAX)).isEqualTo(max);
    }

    @Test
    void refuses_a_minimum_above_the_maximum() {
        assertThatThrownBy(() -> HeapFreeRatio.limit(40, 30)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String value(String flag) {
        return VM.getVMOption(flag).getValue();
    }
}
