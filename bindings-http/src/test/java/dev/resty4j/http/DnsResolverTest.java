package dev.resty4j.http;

import static dev.resty4j.http.TestDnsServer.concat;
import static dev.resty4j.http.TestDnsServer.name;
import static dev.resty4j.http.TestDnsServer.u16;
import static dev.resty4j.http.TestDnsServer.u32;
import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.testing.MockResponse;
import dev.resty4j.testing.RestyTester;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** resty.dns.resolver, and the resolver directive for resty.http, against a DNS server on loopback. */
class DnsResolverTest {

    static TestDnsServer dns;
    static Vertx vertx;
    static Backend backend;

    @BeforeAll
    static void start() throws Exception {
        dns = new TestDnsServer();
        dns.a("www.test", "10.0.0.1", 300).a("www.test", "10.0.0.2", 300)
                .add(new TestDnsServer.Rec(1, "alias.test", 5, 60, name("www.test")), "alias.test", 1)
                .add(new TestDnsServer.Rec(1, "www.test", 1, 30, new byte[] {10, 0, 0, 1}), "alias.test", 1)
                .add(new TestDnsServer.Rec(1, "mail.test", 15, 120, concat(u16(10), name("mx1.mail.test"))), "mail.test", 15)
                .add(new TestDnsServer.Rec(1, "_http._tcp.test", 33, 60,
                        concat(u16(1), u16(5), u16(8080), name("srv1.test"))), "_http._tcp.test", 33)
                .add(new TestDnsServer.Rec(1, "txt.test", 16, 60,
                        concat(new byte[] {5}, "hello".getBytes(StandardCharsets.US_ASCII), new byte[] {5},
                                "world".getBytes(StandardCharsets.US_ASCII))), "txt.test", 16)
                .add(new TestDnsServer.Rec(1, "www.test", 2, 60, name("ns1.test")), "www.test", 2)
                .add(new TestDnsServer.Rec(1, "1.0.0.10.in-addr.arpa", 12, 60, name("www.test")), "1.0.0.10.in-addr.arpa", 12)
                .add(new TestDnsServer.Rec(1, "v6.test", 28, 60,
                        new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}), "v6.test", 28)
                .add(new TestDnsServer.Rec(2, "test", 6, 3600, concat(name("ns1.test"), name("admin.test"),
                        u32(2024010101L), u32(7200), u32(900), u32(1209600), u32(300))), "nodata.test", 6)
                .a("api.test", "127.0.0.1", 60);
        vertx = Vertx.vertx();
        backend = Backend.start(vertx, req -> req.response().end("hi from " + req.getHeader("Host")));
    }

    @AfterAll
    static void stop() {
        if (backend != null) {
            backend.close();
        }
        if (vertx != null) {
            vertx.close().await();
        }
        if (dns != null) {
            dns.close();
        }
    }

    private static MockResponse run(String lua) throws Exception {
        Resty.Builder b = Resty.builder().workers(1).location("/t", l -> l.contentByLua(
                "local port = " + dns.port + "\n" + lua));
        try (RestyTester t = RestyTester.of(b)) {
            return t.get("/t").run();
        }
    }

    @Test
    void aRecordsWithTtlSectionNameTypeAndClass() throws Exception {
        MockResponse r = run("""
                local resolver = require "resty.dns.resolver"
                local r, err = resolver:new{ nameservers = { {"127.0.0.1", port} }, retrans = 2, timeout = 1000 }
                local answers, err = r:query("www.test")
                for i, a in ipairs(answers) do
                    ngx.say(a.name, " ", a.type, " ", a.class, " ", a.ttl, " ", a.section, " ", a.address)
                end
                ngx.say(answers.errcode)
                """);
        assertThat(r.body()).isEqualTo("www.test 1 1 300 1 10.0.0.1\nwww.test 1 1 300 1 10.0.0.2\nnil\n");
    }

    @Test
    void recordTypes() throws Exception {
        MockResponse r = run("""
                local resolver = require "resty.dns.resolver"
                local r = resolver:new{ nameservers = { {"127.0.0.1", port} } }
                local a = r:query("alias.test")
                ngx.say(a[1].type, " ", a[1].cname, " | ", a[2].type, " ", a[2].address)
                a = r:query("mail.test", { qtype = r.TYPE_MX })
                ngx.say(a[1].preference, " ", a[1].exchange)
                a = r:query("_http._tcp.test", { qtype = r.TYPE_SRV })
                ngx.say(a[1].priority, " ", a[1].weight, " ", a[1].port, " ", a[1].target)
                a = r:query("txt.test", { qtype = r.TYPE_TXT })
                ngx.say(type(a[1].txt), " ", table.concat(a[1].txt, ","))
                a = r:query("www.test", { qtype = r.TYPE_NS })
                ngx.say(a[1].nsdname)
                a = r:reverse_query("10.0.0.1")
                ngx.say(a[1].ptrdname)
                a = r:query("v6.test", { qtype = r.TYPE_AAAA })
                ngx.say(a[1].address, " ", resolver.compress_ipv6_addr(a[1].address))
                a = r:query("nodata.test", { qtype = r.TYPE_SOA })
                ngx.say(#a, " ", a[1].section, " ", a[1].mname, " ", a[1].rname, " ", a[1].serial, " ", a[1].minimum)
                """);
        assertThat(r.body()).isEqualTo("5 www.test | 1 10.0.0.1\n10 mx1.mail.test\n1 5 8080 srv1.test\n"
                + "table hello,world\nns1.test\nwww.test\n2001:db8:0:0:0:0:0:1 2001:db8::1\n"
                + "1 2 ns1.test admin.test 2024010101 300\n");
    }

    @Test
    void serverErrorsComeAsErrcodeAndErrstr() throws Exception {
        MockResponse r = run("""
                local r = require("resty.dns.resolver"):new{ nameservers = { {"127.0.0.1", port} } }
                local a, err = r:query("nope.test")
                ngx.say(#a, " ", a.errcode, " ", a.errstr, " ", err)
                """);
        assertThat(r.body()).isEqualTo("0 3 name error nil\n");
    }

    @Test
    void timeoutsAreRetriedAndReported() throws Exception {
        MockResponse r = run("""
                local r = require("resty.dns.resolver"):new{ nameservers = { {"127.0.0.1", port} }, retrans = 3, timeout = 100 }
                local tries = {}
                local a, err = r:query("silent.test", nil, tries)
                ngx.say(a, " ", err)
                ngx.say(#tries, " ", tries[1] == err)
                """);
        assertThat(r.body()).isEqualTo("nil failed to receive reply from UDP server 127.0.0.1:" + dns.port
                + ": timeout\n3 true\n");
    }

    @Test
    void truncatedRepliesAreRetriedOverTcpAndTcpQueryWorks() throws Exception {
        int tcpBefore = dns.tcpQueries.get();
        MockResponse r = run("""
                local r = require("resty.dns.resolver"):new{ nameservers = { {"127.0.0.1", port} } }
                local a, err = r:query("truncated.test")
                ngx.say(a[1].address, " ", err)
                a, err = r:tcp_query("www.test")
                ngx.say(#a, " ", a[1].address, " ", err)
                a, err = r:query("mismatch.test")
                ngx.say(#a, " ", err)
                """);
        assertThat(r.body()).isEqualTo("10.0.0.9 nil\n2 10.0.0.1 nil\n0 nil\n");
        assertThat(dns.tcpQueries.get() - tcpBefore).isEqualTo(2);
    }

    @Test
    void badOptionsAndNames() throws Exception {
        MockResponse r = run("""
                local resolver = require "resty.dns.resolver"
                ngx.say(resolver:new())
                ngx.say(resolver:new{})
                ngx.say(resolver:new{ nameservers = {} })
                local r = resolver:new{ nameservers = { {"127.0.0.1", port} } }
                ngx.say(r:query(".bad"))
                ngx.say(resolver.arpa_str("1.2.3.4"), " ", resolver.arpa_str("2001:db8::1"))
                ngx.say(resolver.expand_ipv6_addr("2001:db8::1"))
                """);
        assertThat(r.body()).isEqualTo("nilno options table specified\nnilno nameservers specified\n"
                + "nilno nameservers specified\nnilbad name\n4.3.2.1.in-addr.arpa "
                + "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa\n2001:db8:0:0:0:0:0:1\n");
    }

    @Test
    void theResolverDirectiveResolvesNamesForRestyHttp() throws Exception {
        Resty.Builder b = Resty.builder().workers(1).location("/t", l -> l.contentByLua("""
                local httpc = require("resty.http").new()
                local res, err = httpc:request_uri("http://api.test:%d/")
                ngx.say(res and res.body, " ", err)
                res, err = httpc:request_uri("http://missing.test/")
                ngx.say(res, " ", err)
                """.formatted(backend.port())));
        RestyHttp.resolver(b, "127.0.0.1:" + dns.port, "ipv6=off");
        try (RestyTester t = RestyTester.of(b)) {
            assertThat(t.get("/t").run().body()).isEqualTo("hi from api.test:" + backend.port()
                    + " nil\nnil missing.test could not be resolved (3: Host not found)\n");
        }
    }

    @Test
    void theResolverDirectiveFromAConfigFile() throws Exception {
        try (RestyServer s = new RestyServer(vertx, """
                resolver 127.0.0.1:%d ipv6=off valid=30s;
                resolver_timeout 2s;
                server {
                    location /t {
                        content_by_lua_block {
                            local res, err = require("resty.http").new():request_uri("http://api.test:%d/")
                            ngx.say(res and res.body, " ", err)
                        }
                    }
                    location /p { proxy_pass http://api.test:%d; }
                }
                """.formatted(dns.port, backend.port(), backend.port()), b -> { })) {
            assertThat(s.get("/t").body()).isEqualTo("hi from api.test:" + backend.port() + " nil\n");
            assertThat(s.get("/p").body()).isEqualTo("hi from api.test:" + backend.port());
        }
    }
}
