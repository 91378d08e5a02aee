package io.jasyncio;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds exception-handler context maps (key, value pairs; null values are left out). */
final class Contexts {
    private Contexts() {
    }

    static Map<String, Object> of(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                map.put((String) keyValues[i], keyValues[i + 1]);
            }
        }
        return map;
    }
}
