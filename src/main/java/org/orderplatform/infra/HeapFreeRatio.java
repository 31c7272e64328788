package org.orderplatform.infra;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;

/**
 * How much free heap the collector keeps beside the live data after a full collection
 * ({@code -XX:MinHeapFreeRatio} and {@code -XX:MaxHeapFreeRatio}), set at run time for the one JVM that needs it:
 * the api holding the embedded SQS, whose queued messages live on its heap (about 1.4 KB each), so that the
 * tenured generation, and the young generation the serial collector sizes after it, follow the queue instead of
 * keeping 40 to 70 % more. Both flags are manageable, so no launcher needs a second options file; a value given on
 * the command line (or in deploy/jvm.options) is left as it is. The cost is more full collections while the queue
 * grows, in this JVM only. Figures: docs/performance.md, "Fourth round: the sqs api's memory".
 */
public final class HeapFreeRatio {
    private static final Logger LOG = LoggerFactory.getLogger(HeapFreeRatio.class);
    static final String MIN = "MinHeapFreeRatio";
    static final String MAX = "MaxHeapFreeRatio";

    private HeapFreeRatio() {
    }

    /**
     * Sets both ratios (percent, {@code min <= max}) unless the JVM was given either at launch; equal to the
     * current values it changes nothing. Returns whether it set them.
     */
    public static boolean limit(int min, int max) {
        if (min < 0 || max > 100 || min > max) {
            throw new IllegalArgumentException("heap free ratios need 0 <= min <= max <= 100, got " + min + " and " + max);
        }
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        VMOption currentMin = vm.getVMOption(MIN);
        VMOption currentMax = vm.getVMOption(MAX);
        if (!settable(currentMin) || !settable(currentMax)) {
            LOG.info("Heap free ratios left as given to the JVM: {}={} {}={}", MIN, currentMin.getValue(),
                    MAX, currentMax.getValue());
            return false;
        }
        if (min == Integer.parseInt(currentMin.getValue()) && max == Integer.parseInt(currentMax.getValue())) {
            return false;
        }
        // the JVM checks min <= max at each step: lower min before max, raise max before min
        if (min <= Integer.parseInt(currentMax.getValue())) {
            vm.setVMOption(MIN, Integer.toString(min));
            vm.setVMOption(MAX, Integer.toString(max));
        } else {
            vm.setVMOption(MAX, Integer.toString(max));
            vm.setVMOption(MIN, Integer.toString(min));
        }
        LOG.info("Heap free ratios for the embedded SQS's queue: {}={} {}={}", MIN, min, MAX, max);
        return true;
    }

    /** A default, or a value set at run time (an earlier start in this JVM, e.g. a test's); not one given at launch. */
    private static boolean settable(VMOption option) {
        return option.getOrigin() == VMOption.Origin.DEFAULT || option.getOrigin() == VMOption.Origin.MANAGEMENT;
    }
}
