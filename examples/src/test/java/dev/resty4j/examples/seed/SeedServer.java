package dev.resty4j.examples.seed;

import dev.resty4j.config.ConfigLoader;
import dev.resty4j.core.log.LogRecord;
import dev.resty4j.server.RestyServer;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A seed config served the way {@code ./resty4j serve -c WRAPPER --listen 127.0.0.1:0 --workers N} serves
 * it (N from {@link Wrapper#workers}). The seed file is not touched: a wrapper config {@code include}s it and
 * adds only what a deployment adds around it ({@code env}, an {@code upstream backend} block, host names of the services it calls), as
 * {@link Wrapper} builds it. Whatever engine the seed's scripts are written for, the loading path is the
 * standalone server's.
 */
final class SeedServer implements AutoCloseable {

    private static final HttpClient CLIENT = client(null);

    final RestyServer server;
    final Path wrapperFile;
    /** The error log, as {@code error_log} would write it. */
    final List<LogRecord> errorLog = new CopyOnWriteArrayList<>();

    private SeedServer(Path wrapperFile, int workers) throws Exception {
        this.wrapperFile = wrapperFile;
        this.server = RestyServer.start(wrapperFile, "127.0.0.1:0", null, b -> b.workers(workers).logSink(errorLog::add),
                ConfigLoader.Options.strict());
    }

    /** Writes the wrapper into {@code dir} and serves it. */
    static SeedServer serve(Path seed, Wrapper wrapper, Path dir) throws Exception {
        Path file = Files.createTempFile(dir, "wrapper-", ".conf");
        Files.writeString(file, wrapper.text(seed));
        return new SeedServer(file, wrapper.workers());
    }

    static SeedServer serve(Path seed, Path dir) throws Exception {
        return serve(seed, new Wrapper(), dir);
    }

    /** An HTTP/1.1 client whose connections come from {@code local} (any 127.x.y.z works on Linux), or any address. */
    static HttpClient client(InetAddress local) {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5));
        if (local != null) {
            b.localAddress(local);
        }
        return b.build();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port(0) + path;
    }

    HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20));
        for (int i = 0; i < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        return r;
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        return get(CLIENT, path, headers);
    }

    HttpResponse<String> get(HttpClient client, String path, String... headers) throws Exception {
        return client.send(request(path, headers).build(), HttpResponse.BodyHandlers.ofString());
    }

    long errorLogLinesContaining(String text) {
        return errorLog.stream().filter(r -> r.message().contains(text)).count();
    }

    @Override
    public void close() {
        server.close();
    }
}
