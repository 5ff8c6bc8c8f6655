package dev.resty4j.core.request;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * An ordered HTTP header list: names keep the case they were given in, lookups ignore ASCII case, a
 * name may appear several times. Request and response headers both use it, so phase scripts see the
 * headers in wire order as nginx keeps them.
 */
public final class Headers implements Iterable<Headers.Field> {

    /** One header line. */
    public record Field(String name, String value) {}

    private final ArrayList<String> names;
    private final ArrayList<String> values;

    public Headers() {
        this(16);
    }

    public Headers(int expected) {
        names = new ArrayList<>(expected);
        values = new ArrayList<>(expected);
    }

    public int size() {
        return names.size();
    }

    public String name(int i) {
        return names.get(i);
    }

    public String value(int i) {
        return values.get(i);
    }

    public void add(String name, String value) {
        names.add(name);
        values.add(value);
    }

    /** The first value of {@code name}, or null. */
    public String get(String name) {
        for (int i = 0, n = names.size(); i < n; i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return values.get(i);
            }
        }
        return null;
    }

    /** Every value of {@code name}, in order; empty when absent. */
    public List<String> getAll(String name) {
        List<String> out = new ArrayList<>(2);
        for (int i = 0, n = names.size(); i < n; i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                out.add(values.get(i));
            }
        }
        return out;
    }

    public boolean contains(String name) {
        return indexOf(name) >= 0;
    }

    public int indexOf(String name) {
        for (int i = 0, n = names.size(); i < n; i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Removes every line of {@code name}; returns how many were removed. */
    public int remove(String name) {
        int removed = 0;
        for (int i = names.size() - 1; i >= 0; i--) {
            if (names.get(i).equalsIgnoreCase(name)) {
                names.remove(i);
                values.remove(i);
                removed++;
            }
        }
        return removed;
    }

    /** Replaces every line of {@code name} with one line, kept at the position of the first one. */
    public void set(String name, String value) {
        int first = indexOf(name);
        if (first < 0) {
            add(name, value);
            return;
        }
        names.set(first, name);
        values.set(first, value);
        for (int i = names.size() - 1; i > first; i--) {
            if (names.get(i).equalsIgnoreCase(name)) {
                names.remove(i);
                values.remove(i);
            }
        }
    }

    /** Replaces every line of {@code name} with the given values (none removes it). */
    public void setAll(String name, List<String> newValues) {
        remove(name);
        for (String v : newValues) {
            add(name, v);
        }
    }

    public void clear() {
        names.clear();
        values.clear();
    }

    public Headers copy() {
        Headers h = new Headers(names.size() + 4);
        h.names.addAll(names);
        h.values.addAll(values);
        return h;
    }

    @Override
    public Iterator<Field> iterator() {
        return new Iterator<>() {
            int i;

            @Override
            public boolean hasNext() {
                return i < names.size();
            }

            @Override
            public Field next() {
                if (i >= names.size()) {
                    throw new NoSuchElementException();
                }
                Field f = new Field(names.get(i), values.get(i));
                i++;
                return f;
            }
        };
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            sb.append(names.get(i)).append(": ").append(values.get(i)).append("\r\n");
        }
        return sb.toString();
    }
}
