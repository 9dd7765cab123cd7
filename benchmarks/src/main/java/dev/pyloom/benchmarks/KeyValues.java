package dev.pyloom.benchmarks;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The one-line {@code key=value key=value} format both sides of a benchmark print. */
final class KeyValues {

    private KeyValues() {}

    static String format(Map<String, Double> values) {
        return values.entrySet().stream()
                .map(e -> e.getKey() + "=" + String.format(Locale.ROOT, "%.6g", e.getValue()))
                .collect(Collectors.joining(" "));
    }

    static Map<String, Double> parse(String line) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (String pair : line.trim().split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("not a key=value pair: '" + pair + "' in: " + line);
            }
            values.put(pair.substring(0, eq), Double.parseDouble(pair.substring(eq + 1)));
        }
        return values;
    }
}
