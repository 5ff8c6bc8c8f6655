package dev.resty4j.mysql;

import dev.resty4j.Resty;
import dev.resty4j.spi.RestyExtension;

/** Releases the pooled MySQL connections of an instance when it closes. */
public final class MysqlExtension implements RestyExtension {

    @Override
    public void configure(Resty resty, java.util.List<dev.resty4j.config.Directive> httpDirectives) {
        // resty.mysql needs no directive
    }

    @Override
    public void close(Resty resty) {
        MysqlPools.close(resty);
    }
}
