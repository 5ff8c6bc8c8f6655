package dev.resty4j.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Parsing proxy_pass and nginx's $proxy_host / $proxy_port. */
class ProxyPassUriTest {

    @Test
    void parsesSchemeServerAndUriPart() {
        ProxyPass p = ProxyPass.parse("http://backend");
        assertThat(p.server()).isEqualTo("backend");
        assertThat(p.uri()).isNull();
        assertThat(p.proxyHost()).isEqualTo("backend");
        assertThat(p.proxyPort()).isEqualTo(80);

        p = ProxyPass.parse("https://10.0.0.1:8443/api/");
        assertThat(p.ssl()).isTrue();
        assertThat(p.uri()).isEqualTo("/api/");
        assertThat(p.proxyHost()).isEqualTo("10.0.0.1:8443");
        assertThat(p.proxyPort()).isEqualTo(8443);

        assertThat(ProxyPass.parse("http://h:80/").proxyHost()).isEqualTo("h");
        assertThat(ProxyPass.parse("http://[::1]:8080").address().host()).isEqualTo("::1");
    }

    @Test
    void rejectsWhatNginxRejects() {
        assertThatThrownBy(() -> ProxyPass.parse("backend")).hasMessageContaining("invalid URL prefix");
        assertThatThrownBy(() -> ProxyPass.parse("http:///x")).hasMessageContaining("no host");
        assertThatThrownBy(() -> ProxyPass.parse("http://h:99999")).hasMessageContaining("invalid port");
    }
}
