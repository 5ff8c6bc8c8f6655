package dev.resty4j.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NginxValuesTest {

    @Test
    void times() {
        assertThat(NginxValues.millis("500ms")).isEqualTo(500);
        assertThat(NginxValues.millis("10")).isEqualTo(10_000);
        assertThat(NginxValues.millis("1m30s")).isEqualTo(90_000);
        assertThat(NginxValues.millis("2h")).isEqualTo(7_200_000);
        assertThatThrownBy(() -> NginxValues.millis("10x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NginxValues.millis("s")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void addresses() {
        assertThat(NginxValues.hostPort("127.0.0.1:8080")).isEqualTo(new NginxValues.HostPort("127.0.0.1", 8080));
        assertThat(NginxValues.hostPort("svc")).isEqualTo(new NginxValues.HostPort("svc", -1));
        assertThat(NginxValues.hostPort("[::1]:53")).isEqualTo(new NginxValues.HostPort("::1", 53));
        assertThat(NginxValues.hostPort("::1")).isEqualTo(new NginxValues.HostPort("::1", -1));
        assertThat(new NginxValues.HostPort("::1", 53).toString()).isEqualTo("[::1]:53");
        assertThatThrownBy(() -> NginxValues.hostPort("h:0")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hostsDirectiveNeedsPairsOfNameAndIp() {
        var into = new java.util.HashMap<String, NginxValues.HostPort>();
        HttpConfig.parseHosts(java.util.List.of("User-Service", "127.0.0.1:81", "b", "10.0.0.2"), into);
        assertThat(into).containsEntry("user-service", new NginxValues.HostPort("127.0.0.1", 81))
                .containsEntry("b", new NginxValues.HostPort("10.0.0.2", -1));
        assertThatThrownBy(() -> HttpConfig.parseHosts(java.util.List.of("a"), into)).hasMessageContaining("pairs");
        assertThatThrownBy(() -> HttpConfig.parseHosts(java.util.List.of("a", "example.com"), into)).hasMessageContaining("IP address");
    }
}
