package org.orderplatform.faults;

import org.orderplatform.support.Db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What became of the accepted orders, read from the database after a fault: the figures of the
 * reliability report. The witness of a completion is its {@code order_transitions} row with
 * {@code to_status = 'PROCESSED'} (written in the same statement as the status change, naming the worker).
 *
 * @param accepted      orders the API answered 202 for
 * @param completed     accepted orders PROCESSED
 * @param failedToDlq   accepted orders FAILED with a DLQ entry
 * @param lost          accepted orders in no final state (missing, PENDING, PROCESSING, or FAILED without DLQ entry)
 * @param pending       of the lost: still PENDING
 * @param processing    of the lost: still PROCESSING
 * @param completedTwice orders (accepted or not) with more than one PROCESSED transition
 * @param unacknowledged orders stored although the client got no 202 (the answer was lost in the fault)
 * @param completionsByWorker PROCESSED transitions per worker id
 */
record Figures(int accepted, int completed, int failedToDlq, int lost, int pending, int processing,
               int completedTwice, int unacknowledged, Map<String, Integer> completionsByWorker) {

    static Figures collect(Db db, Collection<String> acceptedIds) {
        Map<String, String> status = new HashMap<>();
        db.query("SELECT id::text AS id, status FROM orders").forEach(r -> status.put((String) r.get("id"), (String) r.get("status")));
        Set<String> dlq = new HashSet<>();
        db.query("SELECT order_id::text AS id FROM dlq").forEach(r -> dlq.add((String) r.get("id")));
        int twice = (int) db.count("""
                SELECT count(*) FROM (SELECT order_id FROM order_transitions WHERE to_status = 'PROCESSED'
                                       GROUP BY order_id HAVING count(*) > 1) t""");
        Map<String, Integer> byWorker = new TreeMap<>();
        db.query("SELECT worker_id, count(*) AS n FROM order_transitions WHERE to_status = 'PROCESSED' GROUP BY worker_id")
                .forEach(r -> byWorker.put(String.valueOf(r.get("worker_id")), ((Number) r.get("n")).intValue()));

        Set<String> accepted = new HashSet<>(acceptedIds);
        int completed = 0, failed = 0, pending = 0, processing = 0, lost = 0;
        for (String id : accepted) {
            String s = status.get(id);
            if ("PROCESSED".equals(s)) {
                completed++;
            } else if ("FAILED".equals(s) && dlq.contains(id)) {
                failed++;
            } else {
                lost++;
                if ("PENDING".equals(s)) {
                    pending++;
                } else if ("PROCESSING".equals(s)) {
                    processing++;
                }
            }
        }
        int unacknowledged = (int) status.keySet().stream().filter(id -> !accepted.contains(id)).count();
        return new Figures(accepted.size(), completed, failed, lost, pending, processing, twice, unacknowledged, byWorker);
    }

    /**
     * The one summary line a fault test prints (and appends to target/faults/summary.txt), from which
     * docs/reliability.md is filled.
     */
    String report(String test, String load, String injected, String extra) {
        String line = String.format("FAULT-SUMMARY | %s | load: %s | injected: %s | accepted=%d completed=%d failed-to-dlq=%d "
                        + "lost=%d completed-twice=%d | pending=%d processing=%d unacknowledged=%d | by-worker=%s%s",
                test, load, injected, accepted, completed, failedToDlq, lost, completedTwice, pending, processing,
                unacknowledged, completionsByWorker, extra == null || extra.isEmpty() ? "" : " | " + extra);
        System.out.println(line);
        try {
            Path summary = Path.of("target", "faults", "summary.txt");
            Files.createDirectories(summary.getParent());
            Files.writeString(summary, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return line;
    }
}
