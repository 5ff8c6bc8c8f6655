package dev.resty4j.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NgxTimeTest {

    private static final long T = 1290079655L; // Thu, 18 Nov 2010 11:27:35 GMT

    private static final DateTimeFormatter RFC850 =
            DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);

    @Test
    void httpTime() {
        assertThat(NgxTime.httpTime(T)).isEqualTo("Thu, 18 Nov 2010 11:27:35 GMT");
        assertThat(NgxTime.httpTime(0)).isEqualTo("Thu, 01 Jan 1970 00:00:00 GMT");
        assertThat(NgxTime.httpTime(784111777)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
        assertThat(NgxTime.httpTime(951782400)).isEqualTo("Tue, 29 Feb 2000 00:00:00 GMT");
        assertThat(NgxTime.httpTime(2145916800L)).isEqualTo("Fri, 01 Jan 2038 00:00:00 GMT");
    }

    @Test
    void httpTimeIsCutTo29CharsLikeOpenResty() {
        long year10000 = ZonedDateTime.of(10000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).toEpochSecond();
        assertThat(NgxTime.httpTime(year10000)).isEqualTo("Sat, 01 Jan 10000 00:00:00 GM");
    }

    @Test
    void cookieTime() {
        assertThat(NgxTime.cookieTime(T)).isEqualTo("Thu, 18-Nov-10 11:27:35 GMT");
        assertThat(NgxTime.cookieTime(0)).isEqualTo("Thu, 01-Jan-70 00:00:00 GMT");
        assertThat(NgxTime.cookieTime(946684800L)).isEqualTo("Sat, 01-Jan-00 00:00:00 GMT");
        assertThat(NgxTime.cookieTime(2145916799L)).isEqualTo("Thu, 31-Dec-37 23:59:59 GMT");
        assertThat(NgxTime.cookieTime(2145916800L)).isEqualTo("Fri, 01-Jan-2038 00:00:00 GMT");
    }

    @Test
    void parseHttpTimeThreeForms() {
        assertThat(NgxTime.parseHttpTime("Thu, 18 Nov 2010 11:27:35 GMT")).isEqualTo(T);
        assertThat(NgxTime.parseHttpTime("Thursday, 18-Nov-10 11:27:35 GMT")).isEqualTo(T);
        assertThat(NgxTime.parseHttpTime("Thu Nov 18 11:27:35 2010")).isEqualTo(T);
        // RFC 7231's examples
        assertThat(NgxTime.parseHttpTime("Sun, 06 Nov 1994 08:49:37 GMT")).isEqualTo(784111777L);
        assertThat(NgxTime.parseHttpTime("Sunday, 06-Nov-94 08:49:37 GMT")).isEqualTo(784111777L);
        assertThat(NgxTime.parseHttpTime("Sun Nov  6 08:49:37 1994")).isEqualTo(784111777L);
        assertThat(NgxTime.parseHttpTime("Sun Nov 6 08:49:37 1994")).isEqualTo(784111777L);
    }

    @Test
    void parseCookieTimeUpTo2037() {
        assertThat(NgxTime.parseHttpTime(NgxTime.cookieTime(T))).isEqualTo(T);
        assertThat(NgxTime.parseHttpTime("Thu, 31-Dec-37 23:59:59 GMT")).isEqualTo(2145916799L);
        // 4-digit cookie years (2038 on) are not an RFC 850 date
        assertThat(NgxTime.parseHttpTime("Fri, 01-Jan-2038 00:00:00 GMT")).isNull();
    }

    @Test
    void roundTripsAllThreeForms() {
        Random rnd = new Random(2010);
        for (int i = 0; i < 2000; i++) {
            long t = (long) (rnd.nextDouble() * 253402300799L); // up to 9999-12-31
            Instant at = Instant.ofEpochSecond(t);
            assertThat(NgxTime.parseHttpTime(NgxTime.httpTime(t))).as("rfc1123 %d", t).isEqualTo(t);
            assertThat(NgxTime.parseHttpTime(ASCTIME.format(at))).as("asctime %d", t).isEqualTo(t);
            int year = at.atOffset(ZoneOffset.UTC).getYear();
            if (year >= 1970 && year < 2070) {
                assertThat(NgxTime.parseHttpTime(RFC850.format(at))).as("rfc850 %d", t).isEqualTo(t);
            }
        }
    }

    @Test
    void rfc850TwoDigitYearPivot() {
        assertThat(NgxTime.parseHttpTime("Monday, 01-Jan-69 00:00:00 GMT"))
                .isEqualTo(ZonedDateTime.of(2069, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).toEpochSecond());
        assertThat(NgxTime.parseHttpTime("Thursday, 01-Jan-70 00:00:00 GMT")).isZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Tue, 11 Jan 2011 00:00:00 GMT|1294704000",
        "Fri, 11 Feb 2011 00:00:00 GMT|1297382400",
        "Fri, 11 Mar 2011 00:00:00 GMT|1299801600",
        "Mon, 11 Apr 2011 00:00:00 GMT|1302480000",
        "Wed, 11 May 2011 00:00:00 GMT|1305072000",
        "Sat, 11 Jun 2011 00:00:00 GMT|1307750400",
        "Mon, 11 Jul 2011 00:00:00 GMT|1310342400",
        "Thu, 11 Aug 2011 00:00:00 GMT|1313020800",
        "Sun, 11 Sep 2011 00:00:00 GMT|1315699200",
        "Tue, 11 Oct 2011 00:00:00 GMT|1318291200",
        "Fri, 11 Nov 2011 00:00:00 GMT|1320969600",
        "Sun, 11 Dec 2011 00:00:00 GMT|1323561600",
    })
    void everyMonth(String s, long expected) {
        assertThat(NgxTime.parseHttpTime(s)).isEqualTo(expected);
    }

    @Test
    void leapDays() {
        assertThat(NgxTime.parseHttpTime("Wed, 29 Feb 2012 12:00:00 GMT")).isEqualTo(1330516800L);
        assertThat(NgxTime.parseHttpTime("Tue, 29 Feb 2000 00:00:00 GMT")).isEqualTo(951782400L);
        assertThat(NgxTime.parseHttpTime("Tue, 29 Feb 2011 00:00:00 GMT")).isNull();
        assertThat(NgxTime.parseHttpTime("Thu, 29 Feb 1900 00:00:00 GMT")).isNull();
        assertThat(NgxTime.parseHttpTime("Thu, 30 Feb 2012 00:00:00 GMT")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "abc",
        "",
        "Thu, 18 Nov 2010",
        "Thu, 18 Nov 2010 11:27",
        "Thu, 18 Nov 2010 24:00:00 GMT",
        "Thu, 18 Nov 2010 11:60:00 GMT",
        "Thu, 18 Nov 2010 11:27:60 GMT",
        "Thu, 31 Nov 2010 11:27:35 GMT",
        "Thu, 32 Dec 2010 11:27:35 GMT",
        "Thu, 18 nov 2010 11:27:35 GMT",
        "Thu, 18 Xyz 2010 11:27:35 GMT",
        "Thu, 8 Nov 2010 11:27:35 GMT",
        "Thu, 18 Nov 10 11:27:35 GMT",
        "Thu, 18-Nov-2010 11:27:35 GMT",
        "Thu, 18 Nov-2010 11:27:35 GMT",
        "Thu, 18/Nov/2010 11:27:35 GMT",
        "Thu, 18 Nov 2010 11.27.35 GMT",
        "Thu, 18 Nov 2010T11:27:35 GMT",
        "2010-11-18T11:27:35Z",
        "Thu Nov 18 11:27:35 10",
        "Thu Nov 18 11:27:35",
        "Thu Nov x8 11:27:35 2010",
        "Thursday 18 November 2010 11:27:35 GMT",
    })
    void rejects(String s) {
        assertThat(NgxTime.parseHttpTime(s)).isNull();
    }

    @Test
    void lenientLikeNginx() {
        // the zone and anything after the seconds are not looked at
        assertThat(NgxTime.parseHttpTime("Thu, 18 Nov 2010 11:27:35")).isEqualTo(T);
        assertThat(NgxTime.parseHttpTime("Thu, 18 Nov 2010 11:27:35 PST and more")).isEqualTo(T);
        // the weekday is not checked, and spaces after the comma are skipped
        assertThat(NgxTime.parseHttpTime("Mon, 18 Nov 2010 11:27:35 GMT")).isEqualTo(T);
        assertThat(NgxTime.parseHttpTime(",   18 Nov 2010 11:27:35 GMT")).isEqualTo(T);
        // the month is told from its first letters only
        assertThat(NgxTime.parseHttpTime("Thu, 18 Nxx 2010 11:27:35 GMT")).isEqualTo(T);
        // day 00 is accepted and means the last day of the previous month
        assertThat(NgxTime.parseHttpTime("Mon, 00 Nov 2010 00:00:00 GMT")).isEqualTo(1288483200L);
    }

    @Test
    void beforeEpoch() {
        assertThat(NgxTime.parseHttpTime("Wed, 31 Dec 1969 23:59:58 GMT")).isEqualTo(-2L);
        // -1 is OpenResty's error value, so that one instant is reported as unparsable
        assertThat(NgxTime.parseHttpTime("Wed, 31 Dec 1969 23:59:59 GMT")).isNull();
        assertThat(NgxTime.parseHttpTime("Sat, 01 Jan 1000 00:00:00 GMT"))
                .isEqualTo(ZonedDateTime.of(1000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).toEpochSecond());
    }

    @Test
    void parseBytesAndNonByteStrings() {
        assertThat(NgxTime.parseHttpTime("Thu, 18 Nov 2010 11:27:35 GMT".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .isEqualTo(T);
        assertThat(NgxTime.parseHttpTime("Thu, 18 Nov 2010 11:27:35 G\u20acT")).isNull();
    }

    @Test
    void localtimeUtctimeToday() {
        long ms = T * 1000 + 999;
        assertThat(NgxTime.utctime(ms)).isEqualTo("2010-11-18 11:27:35");
        assertThat(NgxTime.localtime(ms, ZoneOffset.UTC)).isEqualTo("2010-11-18 11:27:35");
        assertThat(NgxTime.localtime(ms, ZoneId.of("Asia/Shanghai"))).isEqualTo("2010-11-18 19:27:35");
        assertThat(NgxTime.localtime(ms, ZoneId.of("America/Los_Angeles"))).isEqualTo("2010-11-18 03:27:35");
        assertThat(NgxTime.today(ms, ZoneId.of("Asia/Shanghai"))).isEqualTo("2010-11-18");

        long midnightUtc = 1290124800000L; // 2010-11-19 00:00:00 UTC
        assertThat(NgxTime.today(midnightUtc, ZoneOffset.UTC)).isEqualTo("2010-11-19");
        assertThat(NgxTime.today(midnightUtc, ZoneId.of("America/Los_Angeles"))).isEqualTo("2010-11-18");
        assertThat(NgxTime.utctime(0)).isEqualTo("1970-01-01 00:00:00");
        assertThat(NgxTime.utctime(-1)).isEqualTo("1969-12-31 23:59:59");
    }
}
