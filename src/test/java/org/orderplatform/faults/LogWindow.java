package org.orderplatform.faults;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What a process logged between two moments (line positions in its log file): how many log entries, how
 * many of them WARN/ERROR, and how many lines belong to stack traces: those of the connection pool's own
 * per-connection notices (bounded by the pool size) apart from all others.
 */
record LogWindow(int lines, int entries, int warnOrError, int stackTraceLines, int poolStackTraceLines,
                 List<String> warnOrErrorEntries) {
    /** The connection pool's own notices: one per pooled connection when the database goes away. */
    static final String POOL_LOGGER = " c.z.h";
    private static final Pattern ENTRY = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (\\w+)\\s.*");

    static LogWindow of(List<String> all, int from, int to) {
        List<String> window = all.subList(Math.min(from, all.size()), Math.min(to, all.size()));
        int entries = 0;
        int stack = 0;
        int poolStack = 0;
        boolean inPoolEntry = false;
        List<String> warnings = new java.util.ArrayList<>();
        for (String line : window) {
            var m = ENTRY.matcher(line);
            if (m.matches()) {
                entries++;
                inPoolEntry = line.contains(POOL_LOGGER);
                if (m.group(1).equals("WARN") || m.group(1).equals("ERROR")) {
                    warnings.add(line);
                }
            } else if (line.startsWith("\tat ") || line.startsWith("Caused by: ") || line.matches("^\\s+at .*")
                    || line.matches("^\\s+\\.\\.\\. \\d+ more.*")) {
                if (inPoolEntry) {
                    poolStack++;
                } else {
                    stack++;
                }
            }
        }
        return new LogWindow(window.size(), entries, warnings.size(), stack, poolStack, warnings);
    }

    /** WARN/ERROR entries that are not the connection pool's per-connection notices. */
    int warnOrErrorOutsidePool() {
        return (int) warnOrErrorEntries.stream().filter(l -> !l.contains(POOL_LOGGER)).count();
    }

    int poolNotices() {
        return warnOrError - warnOrErrorOutsidePool();
    }

    @Override
    public String toString() {
        return "lines=" + lines + " entries=" + entries + " warn/error=" + warnOrError + " (pool notices " + poolNotices()
                + ") stack-trace-lines=" + stackTraceLines + " (+ " + poolStackTraceLines + " in pool notices)";
    }
}
