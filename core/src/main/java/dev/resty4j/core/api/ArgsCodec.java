package dev.resty4j.core.api;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Query-string arguments: {@code ngx.decode_args}, {@code ngx.req.get_uri_args} / {@code get_post_args}
 * parsing, {@code ngx.encode_args} (also what {@code ngx.req.set_uri_args(table)} and the {@code args}
 * option of subrequests build), and Lua's number-to-string conversion.
 *
 * <h2>Decoded shape</h2>
 * A decoded query is an insertion-ordered, unmodifiable map from key (byte string) to one of:
 * <ul>
 *   <li>a {@link String} (byte string) for {@code key=value} (possibly empty, for {@code key=});</li>
 *   <li>{@link Boolean#TRUE} for a bare {@code key} (no {@code =});</li>
 *   <li>an unmodifiable {@link List} of the above, in order of appearance, when the key occurs more than
 *       once.</li>
 * </ul>
 * Keys and values are unescaped as {@link UriCodec#unescapeUri(byte[])} does ({@code +} is a space).
 * Segments whose (unescaped) key is empty are dropped: {@code a=1&&b}, {@code =v} and {@code &} add
 * nothing. A value may contain {@code =} ({@code a=b=c} gives {@code a -> "b=c"}).
 */
public final class ArgsCodec {

    /** OpenResty's default cap on parsed arguments ({@code NGX_HTTP_LUA_MAX_ARGS}). */
    public static final int DEFAULT_MAX_ARGS = 100;

    private static final MathContext LUA_PRECISION = new MathContext(14, RoundingMode.HALF_UP);
    /** 10^N: integral values below it print in plain decimal under {@code %.Ng}. */
    private static final double[] POWERS_OF_TEN = new double[18];

    static {
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = Math.pow(10, i);
        }
    }

    /**
     * A decoded query.
     *
     * @param args      key to value, see the class comment for the value types
     * @param truncated whether the argument cap stopped parsing (Lua's second return value
     *                  {@code "truncated"})
     */
    public record DecodedArgs(Map<String, Object> args, boolean truncated) {
    }

    private ArgsCodec() {
    }

    /** {@code ngx.decode_args(query)}: at most {@value #DEFAULT_MAX_ARGS} arguments. */
    public static DecodedArgs decodeArgs(String query) {
        return decodeArgs(query, DEFAULT_MAX_ARGS);
    }

    /** {@link #decodeArgs(byte[], int)} on a byte string. */
    public static DecodedArgs decodeArgs(String query, int maxArgs) {
        return decodeArgs(ByteStrings.toBytes(query), maxArgs);
    }

    /**
     * {@code ngx.decode_args(query, maxArgs)} (the parser {@code ngx.req.get_post_args} uses too).
     *
     * <p>{@code maxArgs <= 0} means no limit. Otherwise every {@code &} separator met counts one argument,
     * empty segments included, and when the count reaches {@code maxArgs} parsing stops with
     * {@code truncated} set, even if nothing follows that {@code &}. So with {@code maxArgs = 2},
     * {@code a=1&b=2} is not truncated, {@code a=1&b=2&} and {@code a=1&b=2&c=3} give {@code {a, b}} truncated,
     * and {@code a=1&&b=2} gives {@code {a}} truncated.
     */
    public static DecodedArgs decodeArgs(byte[] query, int maxArgs) {
        Builder out = new Builder();
        byte[] scratch = new byte[query.length];
        int n = query.length;
        int p = 0;
        int q = 0;
        int count = 0;
        boolean parsingValue = false;
        String key = null;
        while (p < n) {
            byte c = query[p];
            if (c == '=' && !parsingValue) {
                key = unescape(query, q, p, scratch);
                p++;
                q = p;
                parsingValue = true;
            } else if (c == '&') {
                String s = unescape(query, q, p, scratch);
                if (parsingValue) {
                    out.add(key, s);
                    parsingValue = false;
                } else {
                    out.add(s, Boolean.TRUE);
                }
                p++;
                q = p;
                if (maxArgs > 0 && ++count == maxArgs) {
                    return out.build(true);
                }
            } else {
                p++;
            }
        }
        if (p != q || parsingValue) {
            String s = unescape(query, q, p, scratch);
            if (parsingValue) {
                out.add(key, s);
            } else {
                out.add(s, Boolean.TRUE);
            }
        }
        return out.build(false);
    }

    /** {@link #decodeUriArgs(byte[], int)} on a byte string. */
    public static DecodedArgs decodeUriArgs(String query, int maxArgs) {
        return decodeUriArgs(ByteStrings.toBytes(query), maxArgs);
    }

    /**
     * {@code ngx.req.get_uri_args(maxArgs)} on the request's query string (lua-resty-core's FFI path, whose
     * counting differs slightly from {@link #decodeArgs(byte[], int)}).
     *
     * <p>{@code maxArgs < 0} means the default ({@value #DEFAULT_MAX_ARGS}, what a {@code nil} argument
     * gives), {@code 0} means no limit. The query is first sized as (number of {@code &}) + 1 segments; when
     * there is at least one {@code &} and that exceeds {@code maxArgs}, {@code truncated} is set and only the
     * first {@code maxArgs} non-empty arguments are kept. Empty segments count toward the size but not toward
     * the kept arguments, so with {@code maxArgs = 2}, {@code a=1&&b=2} gives {@code {a, b}} truncated.
     */
    public static DecodedArgs decodeUriArgs(byte[] query, int maxArgs) {
        if (maxArgs < 0) {
            maxArgs = DEFAULT_MAX_ARGS;
        }
        int n = query.length;
        int ampersands = 0;
        for (byte b : query) {
            if (b == '&') {
                ampersands++;
            }
        }
        boolean truncated = false;
        int limit;
        if (ampersands > 0) {
            limit = ampersands + 1;
            if (maxArgs > 0 && limit > maxArgs) {
                limit = maxArgs;
                truncated = true;
            }
        } else {
            limit = n > 0 ? 1 : 0;
        }
        Builder out = new Builder();
        if (limit == 0) {
            return out.build(false);
        }
        byte[] scratch = new byte[n];
        int kept = 0;
        int p = 0;
        int q = 0;
        boolean parsingValue = false;
        String key = null;
        while (p < n) {
            byte c = query[p];
            if (c == '=' && !parsingValue) {
                key = unescape(query, q, p, scratch);
                p++;
                q = p;
                parsingValue = true;
            } else if (c == '&') {
                String s = unescape(query, q, p, scratch);
                if (parsingValue) {
                    parsingValue = false;
                    if (out.add(key, s)) {
                        kept++;
                    }
                } else if (out.add(s, Boolean.TRUE)) {
                    kept++;
                }
                if (kept == limit) {
                    return out.build(truncated);
                }
                p++;
                q = p;
            } else {
                p++;
            }
        }
        if (p != q || parsingValue) {
            String s = unescape(query, q, p, scratch);
            out.add(parsingValue ? key : s, parsingValue ? s : Boolean.TRUE);
        }
        return out.build(truncated);
    }

    private static String unescape(byte[] src, int from, int to, byte[] scratch) {
        int len = UriCodec.unescapeInto(src, from, to, scratch, 0);
        return ByteStrings.fromBytes(scratch, 0, len);
    }

    /** Collects decoded pairs, folding repeated keys into lists. */
    private static final class Builder {
        private final LinkedHashMap<String, Object> map = new LinkedHashMap<>();

        /** Adds the pair unless the key is empty; returns whether it was added. */
        boolean add(String key, Object value) {
            if (key.isEmpty()) {
                return false;
            }
            Object existing = map.get(key);
            if (existing == null) {
                map.put(key, value);
            } else if (existing instanceof MultiValue list) {
                list.add(value);
            } else {
                MultiValue list = new MultiValue();
                list.add(existing);
                list.add(value);
                map.put(key, list);
            }
            return true;
        }

        DecodedArgs build(boolean truncated) {
            for (Map.Entry<String, Object> e : map.entrySet()) {
                if (e.getValue() instanceof MultiValue list) {
                    e.setValue(Collections.unmodifiableList(list));
                }
            }
            return new DecodedArgs(Collections.unmodifiableMap(map), truncated);
        }
    }

    /** Marker type for lists built while decoding. */
    private static final class MultiValue extends ArrayList<Object> {
    }

    // ------------------------------------------------------------------------------------------------------
    // encode_args

    /**
     * {@code ngx.encode_args(table)}: {@code key=value} pairs joined by {@code &}, keys and values escaped as
     * {@link UriCodec#ESCAPE_URI_COMPONENT}, in the iteration order of {@code args}.
     *
     * <p>Keys must be {@link CharSequence}s (byte strings). Values:
     * <ul>
     *   <li>{@link CharSequence} (byte string) or {@code byte[]}: {@code key=value};</li>
     *   <li>{@link Number}: {@code key=} the number as {@link #formatNumber(Number)} prints it;</li>
     *   <li>{@link Boolean}: {@code true} gives a bare {@code key}, {@code false} is left out;</li>
     *   <li>{@link Collection} (elements in iteration order), {@code Object[]}, or {@link Map} (its values,
     *       as Lua iterates any table value): one pair per element, elements being strings, numbers or
     *       booleans as above; an empty one contributes nothing.</li>
     * </ul>
     *
     * @throws IllegalArgumentException {@code attempt to use a non-string key in the "args" option table}
     *         for a key that is not a {@link CharSequence}; {@code attempt to use T as query arg value}
     *         ({@code T} a Lua type name: {@code nil}, {@code table}, {@code userdata}) for any other value or
     *         element
     */
    public static String encodeArgs(Map<?, ?> args) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<?, ?> e : args.entrySet()) {
            if (!(e.getKey() instanceof CharSequence k)) {
                throw new IllegalArgumentException("attempt to use a non-string key in the \"args\" option table");
            }
            String key = escapeComponent(k.toString());
            Object v = e.getValue();
            Iterable<?> elements = elementsOf(v);
            if (elements != null) {
                for (Object el : elements) {
                    appendPair(sb, key, el, true);
                }
            } else {
                appendPair(sb, key, v, false);
            }
        }
        return sb.toString();
    }

    private static Iterable<?> elementsOf(Object v) {
        if (v instanceof Collection<?> c) {
            return c;
        }
        if (v instanceof Object[] arr) {
            return java.util.Arrays.asList(arr);
        }
        if (v instanceof Map<?, ?> m) {
            return m.values();
        }
        return null;
    }

    private static void appendPair(StringBuilder sb, String escapedKey, Object v, boolean element) {
        if (v instanceof Boolean b) {
            if (b) {
                separate(sb);
                sb.append(escapedKey);
            }
            return;
        }
        String value;
        if (v instanceof CharSequence cs) {
            value = escapeComponent(cs.toString());
        } else if (v instanceof byte[] bytes) {
            value = ByteStrings.fromBytes(UriCodec.escapeUri(bytes, UriCodec.ESCAPE_URI_COMPONENT));
        } else if (v instanceof Number num) {
            value = escapeComponent(formatNumber(num));
        } else {
            throw new IllegalArgumentException("attempt to use " + luaTypeName(v) + " as query arg value");
        }
        separate(sb);
        sb.append(escapedKey).append('=').append(value);
    }

    private static void separate(StringBuilder sb) {
        if (!sb.isEmpty()) {
            sb.append('&');
        }
    }

    private static String escapeComponent(String s) {
        return UriCodec.escapeUri(s, UriCodec.ESCAPE_URI_COMPONENT);
    }

    private static String luaTypeName(Object v) {
        if (v == null) {
            return "nil";
        }
        if (v instanceof Collection<?> || v instanceof Map<?, ?> || v instanceof Object[]) {
            return "table";
        }
        return "userdata";
    }

    // ------------------------------------------------------------------------------------------------------
    // number formatting

    /**
     * A Java number as a Lua script would see it printed: integral types ({@code Integer}, {@code Long},
     * {@code Short}, {@code Byte}, {@code BigInteger}, atomics) in plain decimal, everything else through
     * {@link #formatNumber(double)}.
     */
    public static String formatNumber(Number n) {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
                || n instanceof AtomicInteger || n instanceof AtomicLong) {
            return Long.toString(n.longValue());
        }
        if (n instanceof BigInteger) {
            return n.toString();
        }
        return formatNumber(n.doubleValue());
    }

    /**
     * Lua's {@code tostring} of a number as OpenResty's LuaJIT prints it: C's {@code %.14g} (14 significant
     * digits, trailing zeros dropped, exponent form {@code 1e+20} / {@code 1.5e-07} when the decimal exponent
     * is below -4 or at least 14), with halfway cases rounded away from zero as LuaJIT's own formatter does.
     * Special values: {@code inf}, {@code -inf}, {@code nan} (LuaJIT 2.1 prints every NaN as {@code nan},
     * whatever its sign bit), {@code -0} for negative zero.
     */
    public static String formatNumber(double d) {
        return formatNumber(d, LUA_PRECISION);
    }

    /**
     * C's {@code %.Ng} with N = {@code precision.getPrecision()} (1..17) significant digits, printed as
     * {@link #formatNumber(double)} describes for N = 14, halfway cases rounded by {@code precision}'s mode
     * (lua-cjson, which formats with the C library, uses N = {@code encode_number_precision} and ties to even).
     */
    public static String formatNumber(double d, MathContext precision) {
        int significantDigits = precision.getPrecision();
        if (significantDigits < 1 || significantDigits >= POWERS_OF_TEN.length) {
            throw new IllegalArgumentException("precision out of range: " + significantDigits);
        }
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return Double.doubleToRawLongBits(d) < 0 ? "-0" : "0";
        }
        if (d == Math.rint(d) && Math.abs(d) < POWERS_OF_TEN[significantDigits]) {
            return Long.toString((long) d);
        }
        String fast = significantDigits <= 15 && Math.abs(d) >= Double.MIN_NORMAL ? shortestIfWithin(d, significantDigits) : null;
        if (fast != null) {
            return fast;
        }
        BigDecimal r = new BigDecimal(d).round(precision);
        String digits = r.unscaledValue().abs().toString();
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        return gFormat(r.signum() < 0, digits.substring(0, end), r.precision() - r.scale() - 1, significantDigits);
    }

    /**
     * The {@code %.Ng} text from the shortest decimal that reads back as {@code d} ({@link Double#toString}),
     * when that decimal has at most N digits; else null. For N &lt;= 15 and a normal (not subnormal) double it
     * then is also the N-digit rounding of {@code d}: the double is within 2^-53 (relative) of it, well inside
     * half a unit of the N-th digit, so no halfway case arises and the (costly) exact rounding can be skipped.
     */
    private static String shortestIfWithin(double d, int significantDigits) {
        String s = Double.toString(Math.abs(d)); // "98.6", "0.00123", "1.0E-5", "1.2345E7"
        int e = s.indexOf('E');
        String mantissa = e < 0 ? s : s.substring(0, e);
        int point = mantissa.indexOf('.');
        String digits = mantissa.substring(0, point) + mantissa.substring(point + 1);
        int lead = 0;
        while (lead < digits.length() - 1 && digits.charAt(lead) == '0') {
            lead++;
        }
        int end = digits.length();
        while (end > lead + 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        if (end - lead > significantDigits) {
            return null;
        }
        int exponent = point - 1 - lead + (e < 0 ? 0 : Integer.parseInt(s.substring(e + 1)));
        return gFormat(d < 0, digits.substring(lead, end), exponent, significantDigits);
    }

    /**
     * {@code %.Ng} text of the value 0.{@code digits} x 10^(exponent+1): plain when the exponent is in [-4, N),
     * else {@code d.ddde+XX}; {@code digits} has no leading or trailing zeros.
     */
    private static String gFormat(boolean negative, String digits, int exponent, int significantDigits) {
        StringBuilder sb = new StringBuilder(24);
        if (negative) {
            sb.append('-');
        }
        if (exponent >= -4 && exponent < significantDigits) {
            if (exponent < 0) {
                sb.append("0.").repeat('0', -exponent - 1).append(digits);
            } else if (digits.length() <= exponent + 1) {
                sb.append(digits).repeat('0', exponent + 1 - digits.length());
            } else {
                sb.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
            }
            return sb.toString();
        }
        sb.append(digits.charAt(0));
        if (digits.length() > 1) {
            sb.append('.').append(digits, 1, digits.length());
        }
        sb.append('e').append(exponent < 0 ? '-' : '+');
        int abs = Math.abs(exponent);
        if (abs < 10) {
            sb.append('0');
        }
        sb.append(abs);
        return sb.toString();
    }
}
