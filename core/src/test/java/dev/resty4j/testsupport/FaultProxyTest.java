package dev.resty4j.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fault-injecting proxy itself, in front of an echo server, seen by a plain socket. */
class FaultProxyTest {

    private Vertx vertx;
    private NetServer echo;
    private FaultProxy proxy;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        echo = vertx.createNetServer().connectHandler(s -> s.handler(s::write)).listen(0, "127.0.0.1").await();
        proxy = FaultProxy.start("127.0.0.1", echo.actualPort());
    }

    @AfterEach
    void stop() {
        proxy.close();
        echo.close().await();
        vertx.close().await();
    }

    private static String roundTrip(Socket s, String text) throws Exception {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        byte[] b = new byte[text.length()];
        int n = 0;
        while (n < b.length) {
            int r = in.read(b, n, b.length - n);
            if (r < 0) {
                return "EOF after " + n;
            }
            n += r;
        }
        return new String(b, StandardCharsets.US_ASCII);
    }

    private Socket connect() throws Exception {
        Socket s = new Socket("127.0.0.1", proxy.port());
        s.setSoTimeout(1000);
        return s;
    }

    @Test
    void passesAndDelays() throws Exception {
        try (Socket s = connect()) {
            assertThat(roundTrip(s, "hello")).isEqualTo("hello");
            proxy.mode(FaultProxy.Mode.LATENCY, 50);
            assertThat(roundTrip(s, "later")).isEqualTo("later");
            assertThat(proxy.faultsInjected()).isEqualTo(2); // one chunk each way
        }
    }

    @Test
    void resetsNewAndOpenConnections() throws Exception {
        try (Socket open = connect()) {
            assertThat(roundTrip(open, "a")).isEqualTo("a");
            proxy.mode(FaultProxy.Mode.RESET);
            assertThatThrownBy(() -> {
                roundTrip(open, "b");
                roundTrip(open, "c");
            }).isInstanceOf(SocketException.class);
            try (Socket fresh = connect()) {
                assertThatThrownBy(() -> roundTrip(fresh, "d")).isInstanceOf(SocketException.class);
            }
        }
    }

    @Test
    void blackHoleNeverAnswersNorCloses() throws Exception {
        proxy.mode(FaultProxy.Mode.BLACK_HOLE);
        try (Socket s = connect()) {
            assertThatThrownBy(() -> roundTrip(s, "x")).isInstanceOf(SocketTimeoutException.class);
            assertThat(proxy.openConnections()).isEqualTo(1);
        }
    }

    @Test
    void halfCloseGivesEndOfStream() throws Exception {
        proxy.mode(FaultProxy.Mode.HALF_CLOSE);
        try (Socket s = connect()) {
            assertThat(roundTrip(s, "x")).isEqualTo("EOF after 0");
        }
    }

    @Test
    void countsOpenConnections() throws Exception {
        Socket a = connect();
        Socket b = connect();
        roundTrip(a, "1");
        roundTrip(b, "2");
        assertThat(proxy.openConnections()).isEqualTo(2);
        a.close();
        b.close();
        long end = System.nanoTime() + 5_000_000_000L;
        while (proxy.openConnections() > 0 && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(proxy.openConnections()).isZero();
        assertThat(proxy.acceptedConnections()).isEqualTo(2);
    }
}
