package dev.resty4j.core.api;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * Time formatting and parsing: {@code ngx.http_time}, {@code ngx.cookie_time}, {@code ngx.parse_http_time},
 * and the formatting behind {@code ngx.localtime}, {@code ngx.utctime}, {@code ngx.today}.
 *
 * <p>Nothing here reads a clock: callers pass the instant (OpenResty uses nginx's cached time, which the
 * caller owns). Calendar arithmetic is proleptic Gregorian, UTC unless a zone is given; unlike nginx's
 * {@code ngx_gmtime}, instants before 1970 format correctly. Instants outside {@code java.time}'s range throw
 * {@link java.time.DateTimeException}.
 */
public final class NgxTime {

    private static final String[] WEEK = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS =
            {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    private static final int[] MDAY = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    /** Length of an http_time string ({@code "Mon, 28 Sep 1970 06:00:00 GMT"}); OpenResty returns that many bytes. */
    private static final int HTTP_TIME_LEN = 29;

    private NgxTime() {
    }

    /**
     * {@code ngx.http_time(sec)}: RFC 1123 date, e.g. {@code "Thu, 18 Nov 2010 11:27:35 GMT"} for 1290079655.
     * Like OpenResty, the result is cut to 29 chars (only matters for years past 9999).
     */
    public static String httpTime(long epochSeconds) {
        LocalDateTime t = utc(epochSeconds);
        String s = String.format(Locale.ROOT, "%s, %02d %s %4d %02d:%02d:%02d GMT",
                WEEK[t.getDayOfWeek().getValue() - 1], t.getDayOfMonth(), MONTHS[t.getMonthValue() - 1],
                t.getYear(), t.getHour(), t.getMinute(), t.getSecond());
        return s.length() > HTTP_TIME_LEN ? s.substring(0, HTTP_TIME_LEN) : s;
    }

    /**
     * {@code ngx.cookie_time(sec)}: the cookie {@code expires} format of nginx's {@code ngx_http_cookie_time},
     * e.g. {@code "Thu, 18-Nov-10 11:27:35 GMT"} for 1290079655. The year has 2 digits up to 2037 and is
     * printed in full from 2038 on ({@code "Fri, 01-Jan-2038 00:00:00 GMT"}).
     */
    public static String cookieTime(long epochSeconds) {
        LocalDateTime t = utc(epochSeconds);
        int year = t.getYear();
        String yearText = year > 2037
                ? Integer.toString(year)
                : String.format(Locale.ROOT, "%02d", year % 100);
        return String.format(Locale.ROOT, "%s, %02d-%s-%s %02d:%02d:%02d GMT",
                WEEK[t.getDayOfWeek().getValue() - 1], t.getDayOfMonth(), MONTHS[t.getMonthValue() - 1],
                yearText, t.getHour(), t.getMinute(), t.getSecond());
    }

    /** {@link #parseHttpTime(byte[])} on a byte string. */
    public static Long parseHttpTime(String s) {
        if (!ByteStrings.isByteString(s)) {
            return null;
        }
        return parseHttpTime(ByteStrings.toBytes(s));
    }

    /**
     * {@code ngx.parse_http_time(str)}, following nginx's {@code ngx_parse_http_time}: the epoch seconds of
     * a date in one of
     * <ul>
     *   <li>RFC 822/1123: {@code Sun, 06 Nov 1994 08:49:37 GMT}</li>
     *   <li>RFC 850: {@code Sunday, 06-Nov-94 08:49:37 GMT} (2-digit year: below 70 is 20xx, else 19xx)</li>
     *   <li>asctime: {@code Sun Nov  6 08:49:37 1994} (day with one or two digits)</li>
     * </ul>
     * or {@code null} when it is none of them. Like nginx: the weekday is not checked (only skipped), the
     * month is recognised from its first letters, nothing after the seconds (RFC 822/850) or the year
     * (asctime) is looked at (the {@code GMT} is not required), fields must have the digit counts shown,
     * hour/minute/second ranges and day-of-month (including 29 February in leap years) are validated, and
     * the zone is always taken as GMT. A result of exactly -1 (23:59:59 on 31 Dec 1969) is reported as
     * {@code null}, as OpenResty cannot tell it from its error value.
     */
    public static Long parseHttpTime(byte[] value) {
        Cursor c = new Cursor(value);
        final int rfc822 = 1;
        final int rfc850 = 2;
        final int isoc = 3;
        int fmt = 0;
        int end = value.length;
        int p = 0;

        for (; p < end; p++) {
            if (value[p] == ',') {
                break;
            }
            if (value[p] == ' ') {
                fmt = isoc;
                break;
            }
        }
        for (p++; p < end; p++) {
            if (value[p] != ' ') {
                break;
            }
        }
        if (end - p < 18) {
            return null;
        }

        int day = 0;
        if (fmt != isoc) {
            if (!c.digits(p, 2)) {
                return null;
            }
            day = c.number(p, 2);
            p += 2;
            if (c.at(p) == ' ') {
                if (end - p < 18) {
                    return null;
                }
                fmt = rfc822;
            } else if (c.at(p) == '-') {
                fmt = rfc850;
            } else {
                return null;
            }
            p++;
        }

        int month;
        switch (c.at(p)) {
            case 'J' -> month = c.at(p + 1) == 'a' ? 0 : c.at(p + 2) == 'n' ? 5 : 6;
            case 'F' -> month = 1;
            case 'M' -> month = c.at(p + 2) == 'r' ? 2 : 4;
            case 'A' -> month = c.at(p + 1) == 'p' ? 3 : 7;
            case 'S' -> month = 8;
            case 'O' -> month = 9;
            case 'N' -> month = 10;
            case 'D' -> month = 11;
            default -> {
                return null;
            }
        }
        p += 3;
        if ((fmt == rfc822 && c.at(p) != ' ') || (fmt == rfc850 && c.at(p) != '-')) {
            return null;
        }
        p++;

        long year = 0;
        if (fmt == rfc822) {
            if (!c.digits(p, 4)) {
                return null;
            }
            year = c.number(p, 4);
            p += 4;
        } else if (fmt == rfc850) {
            if (!c.digits(p, 2)) {
                return null;
            }
            year = c.number(p, 2);
            year += year < 70 ? 2000 : 1900;
            p += 2;
        }

        if (fmt == isoc) {
            if (c.at(p) == ' ') {
                p++;
            }
            if (!c.digits(p, 1)) {
                return null;
            }
            day = c.at(p++) - '0';
            if (c.at(p) != ' ') {
                if (!c.digits(p, 1)) {
                    return null;
                }
                day = day * 10 + (c.at(p++) - '0');
            }
            if (end - p < 14) {
                return null;
            }
        }

        if (c.at(p++) != ' ') {
            return null;
        }
        if (!c.digits(p, 2)) {
            return null;
        }
        int hour = c.number(p, 2);
        p += 2;
        if (c.at(p++) != ':') {
            return null;
        }
        if (!c.digits(p, 2)) {
            return null;
        }
        int min = c.number(p, 2);
        p += 2;
        if (c.at(p++) != ':') {
            return null;
        }
        if (!c.digits(p, 2)) {
            return null;
        }
        int sec = c.number(p, 2);

        if (fmt == isoc) {
            p += 2;
            if (c.at(p++) != ' ') {
                return null;
            }
            if (!c.digits(p, 4)) {
                return null;
            }
            year = c.number(p, 4);
        }

        if (hour > 23 || min > 59 || sec > 59) {
            return null;
        }
        if (day == 29 && month == 1) {
            if ((year & 3) != 0 || (year % 100 == 0 && year % 400 != 0)) {
                return null;
            }
        } else if (day > MDAY[month]) {
            return null;
        }

        // Gauss' formula, with the year starting on 1 March and months counted from 1; nginx computes it
        // in unsigned machine words, which wrapping long arithmetic plus unsigned division reproduces.
        if (--month <= 0) {
            month += 12;
            year -= 1;
        }
        long days = 365 * year + Long.divideUnsigned(year, 4) - Long.divideUnsigned(year, 100)
                + Long.divideUnsigned(year, 400) + 367L * month / 12 - 30 + day - 1 - 719527 + 31 + 28;
        long time = days * 86400 + hour * 3600L + min * 60L + sec;
        return time == -1 ? null : time;
    }

    /** {@code ngx.localtime()} at {@code epochMillis}: {@code "yyyy-mm-dd hh:mm:ss"} in {@code zone}. */
    public static String localtime(long epochMillis, ZoneId zone) {
        return dateTime(LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), zone));
    }

    /** {@code ngx.utctime()} at {@code epochMillis}: {@code "yyyy-mm-dd hh:mm:ss"} in UTC. */
    public static String utctime(long epochMillis) {
        return localtime(epochMillis, ZoneOffset.UTC);
    }

    /** {@code ngx.today()} at {@code epochMillis}: {@code "yyyy-mm-dd"} in {@code zone}. */
    public static String today(long epochMillis, ZoneId zone) {
        LocalDateTime t = LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), zone);
        return String.format(Locale.ROOT, "%4d-%02d-%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth());
    }

    private static String dateTime(LocalDateTime t) {
        return String.format(Locale.ROOT, "%4d-%02d-%02d %02d:%02d:%02d", t.getYear(), t.getMonthValue(),
                t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond());
    }

    private static LocalDateTime utc(long epochSeconds) {
        return LocalDateTime.ofEpochSecond(epochSeconds, 0, ZoneOffset.UTC);
    }

    /** Bounds-safe reader: positions past the end read as 0, which no check accepts. */
    private record Cursor(byte[] v) {
        int at(int i) {
            return i >= 0 && i < v.length ? v[i] & 0xFF : 0;
        }

        boolean digits(int from, int count) {
            for (int i = from; i < from + count; i++) {
                int ch = at(i);
                if (ch < '0' || ch > '9') {
                    return false;
                }
            }
            return true;
        }

        int number(int from, int count) {
            int n = 0;
            for (int i = from; i < from + count; i++) {
                n = n * 10 + (at(i) - '0');
            }
            return n;
        }
    }
}
