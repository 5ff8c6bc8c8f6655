package dev.resty4j.mysql;

import dev.resty4j.core.api.ByteStrings;
import dev.resty4j.spi.NativeNull;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.desc.ColumnDescriptor;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One result of a query as lua-resty-mysql returns it, in neutral values.
 *
 * <p>A result set is an array of rows, each a table keyed by column name (or an array in compact mode);
 * SQL NULL is {@code ngx.null}. Values are the text the server sent, except the column types
 * lua-resty-mysql turns into Lua numbers: TINYINT, SMALLINT, MEDIUMINT, INT, YEAR, FLOAT, DOUBLE and
 * DECIMAL. BIGINT stays a string (a Lua number cannot hold every 64-bit integer). A statement without a
 * result set gives {@code {affected_rows, insert_id, server_status, warning_count}}.
 *
 * <p>Prepared statements ({@link Protocol#BINARY}) follow lua-resty-mysql's binary-protocol decoding instead:
 * every integer type (BIGINT and BIT included) and FLOAT/DOUBLE are numbers, DECIMAL is a string.
 *
 * <p>Vert.x has already decoded each value into a Java object; we turn it back into the server's text.
 * Where the column metadata Vert.x keeps is not enough to do that exactly, the README says so (fractional
 * seconds of DATETIME/TIME, BIT widths).
 */
final class ResultConverter {

    /** Which protocol produced the result: they convert numbers differently. */
    enum Protocol { TEXT, BINARY }

    /** {@code SERVER_STATUS_AUTOCOMMIT}: what the server reports outside transactions. */
    static final int SERVER_STATUS_AUTOCOMMIT = 2;
    /** {@code SERVER_MORE_RESULTS_EXISTS}: another result of the same query follows. */
    static final int SERVER_MORE_RESULTS_EXISTS = 8;

    private ResultConverter() {
    }

    /**
     * Converts one result.
     *
     * @param moreResults whether another result of the same query follows (reflected in server_status)
     */
    static Object convert(RowSet<Row> rs, Protocol protocol, boolean compact, Charset charset, boolean moreResults) {
        List<ColumnDescriptor> columns = rs.columnDescriptors();
        if (columns == null) {
            return okPacket(rs, moreResults);
        }
        int n = columns.size();
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            // Vert.x decodes column names as UTF-8; scripts get their bytes
            names[i] = ByteStrings.fromBytes(rs.columnsNames().get(i).getBytes(StandardCharsets.UTF_8));
        }
        List<Object> rows = new ArrayList<>(rs.size());
        for (Row row : rs) {
            if (compact) {
                List<Object> r = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    r.add(value(row.getValue(i), columns.get(i), protocol, charset));
                }
                rows.add(r);
            } else {
                Map<String, Object> r = new LinkedHashMap<>(n * 2);
                for (int i = 0; i < n; i++) {
                    r.put(names[i], value(row.getValue(i), columns.get(i), protocol, charset));
                }
                rows.add(r);
            }
        }
        return rows;
    }

    /**
     * What lua-resty-mysql reads from an OK packet. Vert.x keeps neither the status flags nor the warning
     * count of OK packets: server_status is reconstructed (autocommit, plus more-results when another result
     * follows) and warning_count is 0; the info message is not available either.
     */
    private static Map<String, Object> okPacket(RowSet<Row> rs, boolean moreResults) {
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("affected_rows", (double) rs.rowCount());
        Long id = rs.property(MySQLClient.LAST_INSERTED_ID);
        res.put("insert_id", id == null ? 0.0 : (double) id);
        res.put("server_status", (double) (SERVER_STATUS_AUTOCOMMIT | (moreResults ? SERVER_MORE_RESULTS_EXISTS : 0)));
        res.put("warning_count", 0.0);
        return res;
    }

    /** One value, by the column's Vert.x data type (its enum name is the public type name). */
    static Object value(Object v, ColumnDescriptor column, Protocol protocol, Charset charset) {
        if (v == null || (v == Tuple.JSON_NULL && !"JSON".equals(column.typeName()))) {
            return NativeNull.NULL;
        }
        switch (column.typeName()) {
            case "INT8", "U_INT8", "INT16", "U_INT16", "INT24", "U_INT24", "INT32", "U_INT32", "YEAR", "DOUBLE":
                return ((Number) v).doubleValue();
            case "FLOAT":
                // Float.toString is the shortest decimal that reads back as the same float: the server's text
                return Double.parseDouble(v.toString());
            case "NUMERIC": // DECIMAL
                return protocol == Protocol.TEXT ? (Object) Double.parseDouble(v.toString()) : v.toString();
            case "INT64", "U_INT64": // BIGINT
                return protocol == Protocol.TEXT ? v.toString() : (Object) ((Number) v).doubleValue();
            case "BIT":
                return protocol == Protocol.TEXT ? bitBytes(((Number) v).longValue()) : (Object) ((Number) v).doubleValue();
            case "DATETIME", "TIMESTAMP":
                LocalDateTime t = (LocalDateTime) v;
                return t.toLocalDate() + " " + time(t.toLocalTime());
            case "TIME":
                return time((Duration) v);
            case "JSON":
                return json(v);
            default:
                break;
        }
        if (v instanceof String s) {
            return ByteStrings.fromBytes(s.getBytes(charset));
        }
        if (v instanceof Buffer b) {
            return b.getBytes();
        }
        // DATE (LocalDate prints as the server does), and whatever else Vert.x decodes
        return v.toString();
    }

    /** HH:MM:SS with the fraction: to milliseconds when that is exact, else to microseconds. */
    private static String time(LocalTime t) {
        StringBuilder sb = new StringBuilder(15);
        two(sb, t.getHour()).append(':');
        two(sb, t.getMinute()).append(':');
        two(sb, t.getSecond());
        fraction(sb, t.getNano() / 1000);
        return sb.toString();
    }

    /** A TIME value: [-]HH:MM:SS[.fraction], hours up to 838. */
    private static String time(Duration d) {
        StringBuilder sb = new StringBuilder(16);
        if (d.isNegative()) {
            sb.append('-');
            d = d.negated();
        }
        two(sb, (int) d.toHours()).append(':');
        two(sb, d.toMinutesPart()).append(':');
        two(sb, d.toSecondsPart());
        fraction(sb, d.toNanosPart() / 1000);
        return sb.toString();
    }

    private static StringBuilder two(StringBuilder sb, int n) {
        if (n < 10) {
            sb.append('0');
        }
        return sb.append(n);
    }

    private static void fraction(StringBuilder sb, int micros) {
        if (micros == 0) {
            return;
        }
        String digits = Integer.toString(1_000_000 + micros).substring(1);
        sb.append('.').append(micros % 1000 == 0 ? digits.substring(0, 3) : digits);
    }

    /** A BIT value as the server's big-endian bytes, in as few bytes as the value needs. */
    private static String bitBytes(long v) {
        int len = Math.max(1, (64 - Long.numberOfLeadingZeros(v) + 7) / 8);
        byte[] b = new byte[len];
        for (int i = len - 1; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return ByteStrings.fromBytes(b);
    }

    /** A JSON column (MySQL) as JSON text, UTF-8. */
    private static String json(Object v) {
        String text;
        if (v == Tuple.JSON_NULL) {
            text = "null";
        } else if (v instanceof JsonObject o) {
            text = o.encode();
        } else if (v instanceof JsonArray a) {
            text = a.encode();
        } else {
            text = Json.encode(v);
        }
        return ByteStrings.fromBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
