package dev.resty4j.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.core.log.LogLevel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code error_log} in server and location blocks, where nginx accepts it too. */
class ErrorLogDirectiveTest {

    private static LogLevel levelOf(String conf) throws Exception {
        Resty resty = ConfigLoader.load(conf, "nginx.conf", Path.of("."), ConfigLoader.Options.strict()).build();
        try {
            return resty.logger().threshold();
        } finally {
            resty.close();
        }
    }

    @Test
    void aLocationLevelErrorLogLeavesTheOtherLocationsThresholdAlone() throws Exception {
        assertThat(levelOf("""
                http {
                    server {
                        listen 127.0.0.1:0;
                        location /quiet { error_log /tmp/resty4j-quiet.log crit; return 200 "ok"; }
                        location /t { return 200 "ok"; }
                    }
                }
                """)).isEqualTo(LogLevel.ERR);
    }

    @Test
    void aNestedErrorLogNeverLowersWhatTheHttpLevelAsked() throws Exception {
        assertThat(levelOf("""
                error_log /tmp/resty4j-error.log info;
                http {
                    server {
                        listen 127.0.0.1:0;
                        location /t { error_log /tmp/resty4j-t.log crit; return 200 "ok"; }
                    }
                }
                """)).isEqualTo(LogLevel.INFO);
    }
}
