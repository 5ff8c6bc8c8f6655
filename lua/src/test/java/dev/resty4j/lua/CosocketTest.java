package dev.resty4j.lua;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.core.log.LogLevel;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ngx.socket.tcp/udp} end to end: scripts talk to a real memcached (started here when it is not
 * running; see {@link Memcached}) and to small Vert.x servers that misbehave on purpose (never answer,
 * answer slowly, close early), and the test checks what the script saw, what was logged, and that no
 * connection is left open at the servers.
 */
class CosocketTest {

    /** A memcached text-protocol client written the way OpenResty users write one. */
    private static final String MEMCACHED_LUA = """
            local _M = {}
            local mt = { __index = _M }

            function _M.new(host, port)
                local sock = ngx.socket.tcp()
                sock:settimeout(2000)
                local ok, err = sock:connect(host, port)
                if not ok then
                    return nil, err
                end
                return setmetatable({ sock = sock }, mt)
            end

            function _M.set(self, key, value, exptime)
                local bytes, err = self.sock:send({ "set ", key, " 0 ", exptime or 0, " ", #value, "\\r\\n",
                                                   value, "\\r\\n" })
                if not bytes then
                    return nil, err
                end
                local line, err = self.sock:receive()
                if not line then
                    return nil, err
                end
                return line == "STORED", line
            end

            function _M.get(self, key)
                local ok, err = self.sock:send("get " .. key .. "\\r\\n")
                if not ok then
                    return nil, err
                end
                local line, err = self.sock:receive("*l")
                if not line then
                    return nil, err
                end
                if line == "END" then
                    return ngx.null
                end
                local len = tonumber(string.match(line, "^VALUE %S+ %d+ (%d+)$"))
                if not len then
                    return nil, "bad response: " .. line
                end
                local data, err = self.sock:receive(len)
                if not data then
                    return nil, err
                end
                self.sock:receive(2) -- the CRLF after the data block
                local fin = self.sock:receive()
                if fin ~= "END" then
                    return nil, "bad end: " .. tostring(fin)
                end
                return data
            end

            function _M.delete(self, key)
                self.sock:send("delete " .. key .. "\\r\\n")
                return self.sock:receive()
            end

            function _M.keepalive(self)
                return self.sock:setkeepalive()
            end

            function _M.reused(self)
                return self.sock:getreusedtimes()
            end

            return _M
            """;

    private static Vertx vertx;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<Runnable> teardown = new CopyOnWriteArrayList<>();
    private String base;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopAll() {
        vertx.close().await();
        Memcached.stopIfStartedHere();
    }

    @AfterEach
    void stop() {
        for (int i = teardown.size() - 1; i >= 0; i--) { // last started, first stopped
            teardown.get(i).run();
        }
    }

    // ------------------------------------------------------------------ memcached

    @Test
    void memcachedClientSetsGetsAndDeletes() throws Exception {
        Memcached.ensureRunning();
        String key = "resty4j-" + UUID.randomUUID();
        Path lib = tmp.resolve("lib");
        Files.createDirectories(lib);
        Files.writeString(lib.resolve("memc.lua"), MEMCACHED_LUA);
        start(b -> b.packagePath(lib).location("/t", l -> l.contentByLua("""
                local memc = require "memc"
                local key = ngx.var.arg_key
                local value = "line one\\r\\nline two\\0end" -- CRLF and NUL inside: read by length, not by line
                local m = assert(memc.new("127.0.0.1", 11211))
                ngx.say("reused: ", m:reused())
                ngx.say("set: ", m:set(key, value))
                local got = m:get(key)
                ngx.say("get: ", got == value, " ", #got)
                ngx.say("delete: ", m:delete(key))
                ngx.say("after: ", m:get(key) == ngx.null)
                ngx.say("keepalive: ", m:keepalive())
                """)));

        assertThat(get("/t?key=" + key)).isEqualTo("""
                reused: 0
                set: trueSTORED
                get: true 22
                delete: DELETED
                after: true
                keepalive: 1
                """);
        // The same worker reuses the pooled memcached connection.
        assertThat(get("/t?key=" + key)).startsWith("reused: 1\n");
    }

    // ------------------------------------------------------------------ timeouts and partial reads

    @Test
    void readTimeoutReturnsTimeoutAndLeavesTheSocketUsable() throws Exception {
        // Answers "pong" to "ping", and nothing else.
        int port = server(s -> s.handler(b -> {
            if (b.toString().contains("ping")) {
                s.write("pong\n");
            }
        })).actualPort();
        start(b -> b.location("/t", l -> l.contentByLua("""
                local sock = ngx.socket.tcp()
                sock:settimeout(100)
                assert(sock:connect("127.0.0.1", %d))
                local line, err, partial = sock:receive()
                ngx.say("1: ", tostring(line), " ", err, " [", partial, "]")
                sock:settimeout(2000)
                ngx.say("send: ", sock:send("ping\\n"))
                ngx.say("2: ", sock:receive())
                ngx.say("close: ", sock:close())
                """.formatted(port))));

        assertThat(get("/t")).isEqualTo("1: nil timeout []\nsend: 5\n2: pong\nclose: 1\n");
        assertThat(log).anyMatch(l -> l.contains("[error]") && l.contains("lua tcp socket read timed out"));
    }

    @Test
    void readsAssembleDataThatArrivesInPieces() throws Exception {
        // Sends its data in small pieces, one every 20 ms, then stalls without closing.
        int port = server(s -> {
            String[] pieces = {"hel", "lo\r", "\nwor", "ld\r\n", "12345", "67890", "tail"};
            for (int i = 0; i < pieces.length; i++) {
                String p = pieces[i];
                vertx.setTimer(20L * (i + 1), id -> s.write(p));
            }
        }).actualPort();
        start(b -> b.location("/t", l -> l.contentByLua("""
                local sock = ngx.socket.tcp()
                sock:settimeout(2000)
                assert(sock:connect("127.0.0.1", %d))
                ngx.say(sock:receive())
                ngx.say(sock:receive("*l"))
                ngx.say(sock:receive(7))
                ngx.say(sock:receive(3))
                sock:settimeout(300)
                local line, err, partial = sock:receive("*l")
                ngx.say(tostring(line), " ", err, " [", partial, "]")
                """.formatted(port))));

        assertThat(get("/t")).isEqualTo("hello\nworld\n1234567\n890\nnil timeout [tail]\n");
    }

    @Test
    void peerCloseEndsReadsWithClosedAndPartialData() throws Exception {
        int closesEarly = server(s -> s.write("abc").onComplete(ar -> s.close())).actualPort();
        int sendsAll = server(s -> s.write("all the data").onComplete(ar -> s.end())).actualPort();
        start(b -> b.location("/t", l -> l.contentByLua("""
                local sock = ngx.socket.tcp()
                assert(sock:connect("127.0.0.1", %d))
                local line, err, partial = sock:receive()
                ngx.say(tostring(line), " ", err, " [", partial, "]")
                ngx.say(select("#", sock:receive()), " ", select(2, sock:receive()))
                local all = ngx.socket.tcp()
                assert(all:connect("127.0.0.1", %d))
                ngx.say("[", all:receive("*a"), "]")
                ngx.say("[", all:receive("*a"), "]")
                ngx.say(all:close())
                ngx.say(all:close())
                ngx.say(all:send("x"))
                """.formatted(closesEarly, sendsAll))));

        assertThat(get("/t")).isEqualTo("""
                nil closed [abc]
                2 closed
                [all the data]
                []
                1
                nilclosed
                nilclosed
                """);
        assertThat(log).anyMatch(l -> l.contains("attempt to receive data on a closed socket"));
        assertThat(log).anyMatch(l -> l.contains("attempt to send data on a closed socket"));
    }

    @Test
    void receiveUntilFindsPatternsAcrossPiecesAndNearMisses() throws Exception {
        int port = server(s -> {
            String[] pieces = {"first--b--abc", "second-", "-abc", "th", "ird--abc", "abcdefg--abcx"};
            for (int i = 0; i < pieces.length; i++) {
                String p = pieces[i];
                boolean last = i == pieces.length - 1;
                vertx.setTimer(20L * (i + 1), id -> s.write(p).onComplete(ar -> {
                    if (last) {
                        s.end();
                    }
                }));
            }
        }).actualPort();
        int lines = server(s -> s.write("line one\r\nline two\r\n")).actualPort();
        start(b -> b.location("/t", l -> l.contentByLua("""
                local sock = ngx.socket.tcp()
                sock:settimeout(2000)
                assert(sock:connect("127.0.0.1", %d))
                local reader = sock:receiveuntil("--abc")
                ngx.say(reader())
                ngx.say(reader())
                ngx.say(reader())
                ngx.say(reader(3), ",", reader(3), ",", reader(3), ",", tostring(reader(3)))
                local data, err, partial = reader()
                ngx.say(tostring(data), " ", err, " [", partial, "]")

                local s2 = ngx.socket.tcp()
                assert(s2:connect("127.0.0.1", %d))
                local line = s2:receiveuntil("\\r\\n", { inclusive = true })
                ngx.print(line())
                ngx.say(#line())
                """.formatted(port, lines))));

        assertThat(get("/t")).isEqualTo("""
                first--b
                second
                third
                abc,def,g,nil
                nil closed [x]
                line one\r
                10
                """);
    }

    @Test
    void largeResponsesAreReadCompletelyWhileTheSocketIsPausedAndResumed() throws Exception {
        int size = 3 * 1024 * 1024;
        Buffer data = Buffer.buffer(new byte[size]);
        for (int i = 0; i < size; i++) {
            data.setByte(i, (byte) ('a' + i % 26));
        }
        int port = server(s -> s.write(data).onComplete(ar -> s.end())).actualPort();
        start(b -> b.location("/t", l -> l.contentByLua("""
                local sock = ngx.socket.tcp()
                assert(sock:connect("localhost", %d))
                local head = sock:receive(10)
                ngx.sleep(0.2) -- nobody reads: the buffer fills up and the socket is paused
                local rest = sock:receive("*a")
                ngx.say(head, " ", #rest, " ", string.sub(rest, -3))
                """.formatted(port))));

        char[] tail = new char[3];
        for (int i = 0; i < 3; i++) {
            tail[i] = (char) ('a' + (size - 3 + i) % 26);
        }
        assertThat(get("/t")).isEqualTo("abcdefghij " + (size - 10) + " " + new String(tail) + "\n");
    }

    @Test
    void timeoutsComeFromTheLuaSocketDirectives() throws Exception {
        int port = server(s -> { }).actualPort();
        start(b -> b.location("/t", l -> l.directive("lua_socket_read_timeout", List.of("150ms")).contentByLua("""
                local sock = ngx.socket.tcp()
                assert(sock:connect("127.0.0.1", %d))
                ngx.say(sock:receive())
                """.formatted(port))));

        assertThat(get("/t")).isEqualTo("niltimeout\n");
    }

    @Test
    void connectTimesOutWhenThePeerNeverAccepts() throws Exception {
        // A listener whose accept queue is full: the kernel drops further SYNs, so connects hang.
        try (ServerSocket full = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> fillers = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    java.net.Socket f = new java.net.Socket();
                    try {
                        f.connect(full.getLocalSocketAddress(), 200);
                        fillers.add(f);
                    } catch (IOException e) {
                        f.close();
                        break; // the queue is full
                    }
                }
                start(b -> b.location("/t", l -> l.contentByLua("""
                        local sock = ngx.socket.tcp()
                        sock:settimeouts(150, 1000, 1000)
                        ngx.say(sock:connect("127.0.0.1", %d))
                        """.formatted(full.getLocalPort()))));

                assertThat(get("/t")).isEqualTo("niltimeout\n");
                assertThat(log).anyMatch(l -> l.contains("lua tcp socket connect timed out, when connecting to 127.0.0.1:"
                        + full.getLocalPort()));
            } finally {
                for (java.net.Socket f : fillers) {
                    f.close();
                }
            }
        }
    }

    @Test
    void aSocketBelongsToTheRequestThatConnectedIt() throws Exception {
        Counter counter = new Counter();
        int port = server(counter.track(s -> { })).actualPort();
        start(b -> b
                .location("/first", l -> l.contentByLua("""
                        local sock = ngx.socket.tcp()
                        assert(sock:connect("127.0.0.1", %d))
                        package.loaded.shared_sock = sock
                        ngx.sleep(0.5)
                        ngx.say("ok")
                        """.formatted(port)))
                .location("/other", l -> l.contentByLua("""
                        local sock = package.loaded.shared_sock
                        if not sock then
                            return ngx.say("not yet") -- /first's connect has not returned yet
                        end
                        local ok, err = pcall(sock.send, sock, "x")
                        ngx.say(ok, " ", err and string.match(err, "bad request"))
                        ngx.say(sock:send("x"))
                        """.formatted(port))));

        CompletableFuture<HttpResponse<String>> first = getAsync("/first");
        while (counter.accepted.get() == 0) {
            Thread.sleep(5);
        }
        // While /first runs, its socket is not /other's to use. (The server accepts before /first's
        // connect returns and stores the socket: until then /other says so.)
        String during = get("/other");
        while (during.equals("not yet\n")) {
            Thread.sleep(5);
            during = get("/other");
        }
        assertThat(during).startsWith("false bad request\n");
        assertThat(first.get().body()).isEqualTo("ok\n");
        // Once /first ended, its socket was closed.
        counter.awaitNoneOpen();
        String after = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/other")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(after).isEqualTo("true nil\nnilclosed\n");
    }

    // ------------------------------------------------------------------ pools

    @Test
    void closingTheInstanceClosesItsPooledConnections() throws Exception {
        Counter counter = new Counter();
        int port = server(counter.track(s -> s.handler(b -> s.write(b)))).actualPort();
        Resty resty = Resty.builder().vertx(vertx).workers(1).location("/t", l -> l.contentByLua("""
                local sock = ngx.socket.tcp()
                assert(sock:connect("127.0.0.1", %d))
                ngx.say(sock:setkeepalive())
                """.formatted(port))).build();
        HttpServer http = vertx.createHttpServer().requestHandler(resty.handler()).listen(0, "127.0.0.1").await();
        try {
            base = "http://127.0.0.1:" + http.actualPort();
            assertThat(get("/t")).isEqualTo("1\n");
            counter.awaitOpen(1);
        } finally {
            http.close().await();
        }
        // A reload retires the old instance while Vert.x lives on: its idle pooled connections must go too.
        resty.close();
        counter.awaitNoneOpen();
    }

    @Test
    void setkeepaliveReusesTheConnectionAndCountsReuses() throws Exception {
        Counter counter = new Counter();
        int port = server(counter.track(s -> s.handler(b -> s.write(b)))).actualPort();
        start(b -> b.location("/t", l -> l.contentByLua("""
                local sock = ngx.socket.tcp()
                assert(sock:connect("127.0.0.1", %d))
                ngx.say("reused: ", sock:getreusedtimes())
                assert(sock:send("hi\\n"))
                ngx.say(sock:receive())
                ngx.say("keepalive: ", sock:setkeepalive())
                ngx.say(sock:send("again"))
                """.formatted(port))));

        assertThat(get("/t")).isEqualTo("reused: 0\nhi\nkeepalive: 1\nnilclosed\n");
        assertThat(get("/t")).startsWith("reused: 1\n");
        assertThat(get("/t")).startsWith("reused: 2\n");
        assertThat(counter.accepted.get()).isEqualTo(1);
    }

    @Test
    void idleConnectionsCloseAfterTheKeepaliveTimeoutAndBeyondThePoolSize() throws Exception {
        Counter counter = new Counter();
        int port = server(counter.track(s -> { })).actualPort();
        start(b -> b
                .location("/size", l -> l.contentByLua("""
                        local a, b = ngx.socket.tcp(), ngx.socket.tcp()
                        assert(a:connect("127.0.0.1", %1$d, { pool = "small" }))
                        assert(b:connect("127.0.0.1", %1$d, { pool = "small" }))
                        ngx.say(a:setkeepalive(0, 1), b:setkeepalive(0, 1)) -- the pool keeps one
                        """.formatted(port)))
                .location("/idle", l -> l.contentByLua("""
                        local s = ngx.socket.tcp()
                        assert(s:connect("127.0.0.1", %d))
                        ngx.say(s:setkeepalive(100))
                        """.formatted(port))));

        assertThat(get("/size")).isEqualTo("11\n");
        counter.awaitAccepted(2);
        counter.awaitOpen(1);
        assertThat(get("/idle")).isEqualTo("1\n");
        counter.awaitAccepted(3);
        counter.awaitOpen(1); // the idle one timed out; the unlimited one stays
    }

    @Test
    void poolBacklogQueuesRefusesAndTimesOut() throws Exception {
        Counter counter = new Counter();
        int port = server(counter.track(s -> { })).actualPort();
        start(b -> b
                .location("/full", l -> l.contentByLua("""
                        local a = ngx.socket.tcp()
                        ngx.say(a:connect("127.0.0.1", %1$d, { pool = "p1", pool_size = 1, backlog = 0 }))
                        local b = ngx.socket.tcp()
                        ngx.say(b:connect("127.0.0.1", %1$d, { pool = "p1", pool_size = 1, backlog = 0 }))
                        local c = ngx.socket.tcp()
                        c:settimeout(100)
                        ngx.say(c:connect("127.0.0.1", %1$d, { pool = "p2", pool_size = 1, backlog = 1 }))
                        local d = ngx.socket.tcp()
                        d:settimeout(100)
                        ngx.say(d:connect("127.0.0.1", %1$d, { pool = "p2", pool_size = 1, backlog = 1 }))
                        """.formatted(port)))
                .location("/hold", l -> l.contentByLua("""
                        local s = ngx.socket.tcp()
                        assert(s:connect("127.0.0.1", %d, { pool = "q", pool_size = 1, backlog = 5 }))
                        ngx.sleep(0.3)
                        ngx.say(s:setkeepalive())
                        """.formatted(port)))
                .location("/wait", l -> l.contentByLua("""
                        local s = ngx.socket.tcp()
                        assert(s:connect("127.0.0.1", %d, { pool = "q", pool_size = 1, backlog = 5 }))
                        ngx.say("reused: ", s:getreusedtimes())
                        """.formatted(port))));

        assertThat(get("/full")).isEqualTo("1\nniltoo many waiting connect operations\n1\nniltimeout\n");
        assertThat(log).anyMatch(l -> l.contains("lua tcp socket queued connect timed out, when trying to connect to 127.0.0.1:" + port));

        // /wait queues behind /hold's connection and gets it once /hold puts it back in the pool.
        int before = counter.accepted.get();
        CompletableFuture<HttpResponse<String>> hold = getAsync("/hold");
        while (counter.accepted.get() == before) {
            Thread.sleep(5);
        }
        assertThat(get("/wait")).isEqualTo("reused: 1\n");
        assertThat(hold.get().body()).isEqualTo("1\n");
        assertThat(counter.accepted.get()).isEqualTo(before + 1);
    }

    // ------------------------------------------------------------------ errors, cleanup, contexts

    @Test
    void connectErrorsUseOpenRestysWords() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        start(b -> b.location("/t", l -> l.contentByLua("""
                local sock = ngx.socket.tcp()
                ngx.say(sock:connect("127.0.0.1", %d))
                ngx.say(sock:connect("127.0.0.1", 65536))
                ngx.say(sock:connect("127.0.0.1"))
                ngx.say(sock:bind("127.0.0.1:80"))
                local ok, err = pcall(function() return sock:connect("127.0.0.1", 80, { pool_size = "a" }) end)
                ngx.say(ok, " ", string.match(err, "bad argument.*"))
                ngx.say(ngx.socket.connect("127.0.0.1", %d))
                """.formatted(closedPort, closedPort))));

        assertThat(get("/t")).isEqualTo("""
                nilconnection refused
                nilbad port number: 65536
                nilmissing the port number
                nilbad address
                false bad argument #3 to 'connect' (bad "pool_size" option type: string)
                nilconnection refused
                """);
        assertThat(log).anyMatch(l -> l.contains("connect() failed (111: Connection refused)"));
    }

    @Test
    void unknownHostNamesFailLikeNginxsResolver() throws Exception {
        // A Vert.x whose resolver knows only a local hosts file and asks a DNS server that is not there, so
        // the lookup fails without any traffic leaving the machine.
        Path hosts = tmp.resolve("hosts");
        Files.writeString(hosts, "127.0.0.1 known.test\n");
        Vertx isolated = Vertx.vertx(new io.vertx.core.VertxOptions().setAddressResolverOptions(
                new io.vertx.core.dns.AddressResolverOptions().setHostsPath(hosts.toString())
                        .addServer("127.0.0.1:1").setQueryTimeout(300).setMaxQueries(1)));
        teardown.add(() -> isolated.close().await());
        int port = server(s -> s.write("hi\n")).actualPort();
        Resty resty = Resty.builder().vertx(isolated).workers(1).location("/t", l -> l.contentByLua("""
                local sock = ngx.socket.tcp()
                ngx.say(sock:connect("unknown.test", %1$d))
                ngx.say(sock:connect("known.test", %1$d))
                ngx.say(sock:receive())
                """.formatted(port))).build();
        HttpServer http = isolated.createHttpServer().requestHandler(resty.handler()).listen(0, "127.0.0.1").await();
        teardown.add(() -> {
            http.close().await();
            resty.close();
        });
        base = "http://127.0.0.1:" + http.actualPort();

        assertThat(get("/t")).isEqualTo("nilunknown.test could not be resolved (3: Host not found)\n1\nhi\n");
    }

    @Test
    void socketOptionsAreAppliedToTheConnection() throws Exception {
        int port = server(s -> { }).actualPort();
        start(b -> b.location("/t", l -> l.contentByLua("""
                local sock = ngx.socket.tcp()
                ngx.say(sock:setoption("keepalive", true))
                assert(sock:connect("127.0.0.1", %d))
                ngx.say(sock:setoption("keepalive", true), " ", sock:getoption("keepalive"))
                ngx.say(sock:setoption("tcp-nodelay", 1), " ", sock:getoption("tcp-nodelay"))
                ngx.say(sock:setoption("sndbuf", 65536), " ", sock:getoption("sndbuf") > 0)
                ngx.say(sock:setoption("rcvbuf", 65536), " ", sock:setoption("reuseaddr", 1))
                ngx.say(sock:setoption("bogus", 1))
                ngx.say(sock:setoption("keepalive"))
                """.formatted(port))));

        assertThat(get("/t")).isEqualTo("""
                nilclosed
                true 1
                true 1
                true true
                true true
                nilunsupported option bogus
                nilmissing the "value" argument
                """);
    }

    @Test
    void socketsLeftOpenAreClosedWhenTheRequestEnds() throws Exception {
        Counter counter = new Counter();
        int port = server(counter.track(s -> s.write("hello\n"))).actualPort();
        start(b -> b.location("/t", l -> l.contentByLua("""
                local a = ngx.socket.tcp()
                assert(a:connect("127.0.0.1", %1$d))
                ngx.say(a:receive())
                local b = ngx.socket.tcp()
                assert(b:connect("127.0.0.1", %1$d))
                -- neither is closed nor put back in a pool
                """.formatted(port))));

        for (int i = 0; i < 5; i++) {
            assertThat(get("/t")).isEqualTo("hello\n");
        }
        counter.awaitAccepted(10);
        counter.awaitNoneOpen();
    }

    @Test
    void socketsAreOnlyAvailableWhereScriptsMayYield() throws Exception {
        start(b -> b.location("/t", l -> l
                .contentByLua("ngx.say('ok')")
                .headerFilterByLua("""
                        local ok, err = pcall(ngx.socket.tcp)
                        ngx.log(ngx.ERR, "tcp: ", err)
                        ok, err = pcall(ngx.socket.udp)
                        ngx.log(ngx.ERR, "udp: ", err)
                        """)));

        assertThat(get("/t")).isEqualTo("ok\n");
        assertThat(log).anyMatch(l -> l.contains("tcp: API disabled in the context of header_filter_by_lua*"));
        assertThat(log).anyMatch(l -> l.contains("udp: API disabled in the context of header_filter_by_lua*"));
    }

    @Test
    void sendFlattensNestedTablesAndReturnsTheByteCount() throws Exception {
        int port = server(s -> s.handler(b -> s.write(b))).actualPort();
        start(b -> b.location("/t", l -> l.contentByLua("""
                local sock = ngx.socket.tcp()
                assert(sock:connect("127.0.0.1", %d))
                ngx.say(sock:send({ "a", { "b", 1.5, { true } }, "\\n" }))
                ngx.say(sock:receive())
                sock:send("xyz")
                ngx.say(sock:receiveany(2))
                ngx.say(sock:receiveany(10))
                ngx.say(sock:send(""))
                """.formatted(port))));

        assertThat(get("/t")).isEqualTo("10\nab1.5true\nxy\nz\n0\n");
    }

    @Test
    void unixDomainSockets() throws Exception {
        Path path = tmp.resolve("echo.sock");
        NetServer s = vertx.createNetServer().connectHandler(so -> so.handler(so::write))
                .listen(SocketAddress.domainSocketAddress(path.toString())).await();
        teardown.add(() -> s.close().await());
        start(b -> b.location("/t", l -> l.contentByLua("""
                local sock = ngx.socket.tcp()
                assert(sock:connect("unix:%s"))
                sock:send("over unix\\n")
                ngx.say(sock:receive())
                sock:close()
                """.formatted(path))));

        assertThat(get("/t")).isEqualTo("over unix\n");
    }

    @Test
    void sslhandshakeVerifiesAgainstTheTrustedCertificate() throws Exception {
        NetServer tls = vertx.createNetServer(new NetServerOptions().setSsl(true).setKeyCertOptions(serverCert()))
                .connectHandler(so -> so.handler(so::write)).listen(0, "127.0.0.1").await();
        teardown.add(() -> tls.close().await());
        String script = """
                local sock = ngx.socket.tcp()
                assert(sock:connect("127.0.0.1", %d))
                local sess, err = sock:sslhandshake(nil, ngx.var.arg_name, ngx.var.arg_verify == "1")
                if not sess then
                    ngx.say("failed: ", err)
                    return
                end
                ngx.say(type(sess))
                sock:send("secret\\n")
                ngx.say(sock:receive())
                ngx.say(sock:sslhandshake(false))
                """.formatted(tls.actualPort());
        String trusted = resource("localhost-cert.pem");
        start(b -> b.httpDirective("lua_ssl_trusted_certificate", List.of(trusted))
                .location("/t", l -> l.contentByLua(script)));

        assertThat(get("/t?verify=0")).isEqualTo("userdata\nsecret\ntrue\n");
        assertThat(get("/t?verify=1&name=localhost")).isEqualTo("userdata\nsecret\ntrue\n");
        assertThat(get("/t?verify=1&name=other.example")).isEqualTo("failed: certificate host mismatch\n");
    }

    @Test
    void sslVerificationFailsWithoutTrust() throws Exception {
        NetServer tls = vertx.createNetServer(new NetServerOptions().setSsl(true).setKeyCertOptions(serverCert()))
                .connectHandler(so -> so.handler(so::write)).listen(0, "127.0.0.1").await();
        teardown.add(() -> tls.close().await());
        start(b -> b.location("/t", l -> l.contentByLua("""
                local sock = ngx.socket.tcp()
                assert(sock:connect("127.0.0.1", %d))
                ngx.say(sock:sslhandshake(nil, "localhost", true))
                ngx.say(sock:send("x"))
                """.formatted(tls.actualPort()))));

        assertThat(get("/t")).isEqualTo("nil20: unable to get local issuer certificate\nnilclosed\n");
        assertThat(log).anyMatch(l -> l.contains("lua ssl certificate verify error: (20: unable to get local issuer certificate)"));
    }

    // ------------------------------------------------------------------ udp

    @Test
    void udpSendsReceivesTimesOutAndSeesRefusals() throws Exception {
        DatagramSocket echo = vertx.createDatagramSocket();
        echo.handler(p -> echo.send(Buffer.buffer("echo:").appendBuffer(p.data()), p.sender().port(), p.sender().host()));
        echo.listen(0, "127.0.0.1").await();
        DatagramSocket silent = vertx.createDatagramSocket();
        silent.handler(p -> { });
        silent.listen(0, "127.0.0.1").await();
        teardown.add(() -> {
            echo.close().await();
            silent.close().await();
        });
        int closedPort;
        try (java.net.DatagramSocket d = new java.net.DatagramSocket(0)) {
            closedPort = d.getLocalPort();
        }
        start(b -> b.location("/t", l -> l.contentByLua("""
                local udp = ngx.socket.udp()
                udp:settimeout(2000)
                ngx.say(udp:setpeername("localhost", %d))
                ngx.say(udp:send({ "hel", "lo" }))
                ngx.say(udp:receive())
                ngx.say(udp:send("truncate me"))
                ngx.say(udp:receive(7))
                ngx.say(udp:close())
                ngx.say(udp:close())

                local quiet = ngx.socket.udp()
                quiet:settimeout(100)
                assert(quiet:setpeername("127.0.0.1", %d))
                quiet:send("anyone?")
                ngx.say(quiet:receive())

                local refused = ngx.socket.udp()
                refused:settimeout(2000)
                assert(refused:setpeername("127.0.0.1", %d))
                refused:send("hello?")
                ngx.say(refused:receive())
                ngx.say(refused:setpeername("127.0.0.1", 70000))
                """.formatted(echo.localAddress().port(), silent.localAddress().port(), closedPort))));

        assertThat(get("/t")).isEqualTo("""
                1
                1
                echo:hello
                1
                echo:tr
                1
                nilclosed
                niltimeout
                nilconnection refused
                nilbad port number: 70000
                """);
        assertThat(log).anyMatch(l -> l.contains("lua udp socket read timed out"));
        assertThat(log).anyMatch(l -> l.contains("recv() failed (111: Connection refused)"));
    }

    // ------------------------------------------------------------------ helpers

    private void start(Consumer<Resty.Builder> config) throws Exception {
        Resty.Builder b = Resty.builder().vertx(vertx).workers(1).logLevel(LogLevel.DEBUG)
                .logSink(r -> log.add(r.line()));
        config.accept(b);
        Resty resty = b.build();
        HttpServer http = vertx.createHttpServer().requestHandler(resty.handler()).listen(0, "127.0.0.1").await();
        teardown.add(() -> {
            http.close().await();
            resty.close();
        });
        base = "http://127.0.0.1:" + http.actualPort();
    }

    private String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("status of %s, log: %s", path, log).isEqualTo(200);
        return r.body();
    }

    private CompletableFuture<HttpResponse<String>> getAsync(String path) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A self-signed certificate for CN=localhost (EC P-256, valid until 2126), made for these tests with
     * {@code openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 36500
     * -subj /CN=localhost -addext subjectAltName=DNS:localhost}; generating one per run takes seconds.
     */
    private static PemKeyCertOptions serverCert() throws Exception {
        return new PemKeyCertOptions().setKeyPath(resource("localhost-key.pem")).setCertPath(resource("localhost-cert.pem"));
    }

    private static String resource(String name) throws Exception {
        return Path.of(CosocketTest.class.getResource("/cosocket/" + name).toURI()).toString();
    }

    private NetServer server(Consumer<NetSocket> onConnect) {
        NetServer s = vertx.createNetServer().connectHandler(onConnect::accept).listen(0, "127.0.0.1").await();
        teardown.add(() -> s.close().await());
        return s;
    }

    /** Counts connections a test server accepted and still has open. */
    private static final class Counter {
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger open = new AtomicInteger();

        Consumer<NetSocket> track(Consumer<NetSocket> behaviour) {
            return s -> {
                accepted.incrementAndGet();
                open.incrementAndGet();
                s.closeHandler(v -> open.decrementAndGet());
                behaviour.accept(s);
            };
        }

        /** Waits (up to 10 s) until the server has seen {@code n} connections (accepting runs on its own thread). */
        void awaitAccepted(int n) throws InterruptedException {
            for (int i = 0; i < 1000 && accepted.get() < n; i++) {
                Thread.sleep(10);
            }
            assertThat(accepted.get()).isEqualTo(n);
        }

        /** Waits (up to 10 s) until every accepted connection was closed by the client. */
        void awaitNoneOpen() throws InterruptedException {
            awaitOpen(0);
        }

        /** Waits (up to 10 s) until exactly {@code n} connections are open at the server. */
        void awaitOpen(int n) throws InterruptedException {
            for (int i = 0; i < 1000 && open.get() != n; i++) {
                Thread.sleep(10);
            }
            assertThat(open.get()).as("connections open at the server").isEqualTo(n);
        }
    }
}
