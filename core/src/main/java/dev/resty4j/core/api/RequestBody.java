package dev.resty4j.core.api;

import dev.resty4j.Location;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.core.shdict.Sizes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code ngx.req.read_body}, {@code discard_body}, {@code get_body_data}, {@code set_body_data},
 * {@code init_body}/{@code append_body}/{@code finish_body}, {@code get_body_file}, {@code set_body_file}.
 * The host has already received the body (bounded by {@code client_max_body_size}); as in nginx, scripts
 * see it only after {@code read_body} (or with {@code lua_need_request_body on}).
 *
 * <p>Where nginx would keep the body in a temporary file, so does resty4j, because scripts written for
 * OpenResty branch on it ({@code get_body_data} is nil, {@code get_body_file} names the file): with
 * {@code client_body_in_file_only on|clean}, or when the body is larger than
 * {@code client_body_buffer_size} (8k by default, as nginx on x86-64). Files go to
 * {@code client_body_temp_path} (default: {@code client_body_temp} under the JVM's temp directory) and are
 * removed when the request ends, except with {@code client_body_in_file_only on}. The bytes stay available
 * to the host and bindings ({@link RequestContext#body()}) either way.
 */
public final class RequestBody {

    /** nginx's {@code client_body_buffer_size} default on x86-64 (two memory pages). */
    public static final long DEFAULT_BUFFER_SIZE = 8192;

    private RequestBody() {
    }

    public static void read(RequestContext req) {
        Contexts.check(req, Contexts.OUTPUT);
        received(req);
    }

    /**
     * Makes the received body visible to scripts ({@code read_body}, {@code lua_need_request_body on}),
     * spooling it to a temporary file where nginx would.
     */
    public static void received(RequestContext req) {
        if (req.bodyRead()) {
            return;
        }
        req.bodyRead(true);
        byte[] body = req.body();
        if (body == null || body.length == 0 || req.bodyFile() != null) {
            return;
        }
        String inFileOnly = directive(req, "client_body_in_file_only");
        if ("on".equals(inFileOnly) || "clean".equals(inFileOnly) || body.length > bufferSize(req)) {
            toFile(req, body, !"on".equals(inFileOnly));
        }
    }

    public static void discard(RequestContext req) {
        Contexts.check(req, Contexts.OUTPUT);
        req.bodyDiscarded(true);
        req.bodyRead(false);
    }

    /** The body bytes, or null when not read, discarded, absent or in a file. */
    public static byte[] data(RequestContext req) {
        Contexts.requireRequest(req);
        if (!req.bodyRead() || req.bodyDiscarded() || req.body() == null || req.bodyFile() != null) {
            return null;
        }
        return req.body();
    }

    /** {@code get_body_data(max_bytes)}: at most {@code max} bytes of the in-memory body (all when max <= 0). */
    public static byte[] data(RequestContext req, int max) {
        byte[] b = data(req);
        return b == null || max <= 0 || b.length <= max ? b : Arrays.copyOf(b, max);
    }

    /** {@code get_body_file}: the file holding the body, or null when it is in memory (or not read). */
    public static String file(RequestContext req) {
        Contexts.requireRequest(req);
        return req.bodyRead() && !req.bodyDiscarded() ? req.bodyFile() : null;
    }

    public static void set(RequestContext req, byte[] data) {
        Contexts.check(req, Contexts.OUTPUT);
        req.body(data);
        req.bodyFile(null);
        req.bodyRead(true);
        req.bodyDiscarded(false);
        req.requestHeaders().set("Content-Length", Integer.toString(data.length));
    }

    /** {@code set_body_file(path, auto_clean)}: the body becomes that file's contents, kept in the file. */
    public static void setFile(RequestContext req, String path, boolean autoClean) {
        Contexts.check(req, Contexts.OUTPUT);
        byte[] data;
        try {
            data = Files.readAllBytes(Path.of(path));
        } catch (IOException e) {
            throw new NgxApiException("failed to open file " + path + ": " + e.getMessage());
        }
        req.body(data);
        req.bodyFile(path);
        req.bodyRead(true);
        req.bodyDiscarded(false);
        req.requestHeaders().set("Content-Length", Integer.toString(data.length));
        if (autoClean) {
            req.addCleanup(() -> deleteQuietly(path));
        }
    }

    // init_body / append_body / finish_body build a new body in pieces; past the buffer size it goes to a file.

    /** {@code init_body()}: with {@code client_body_buffer_size}. */
    public static void init(RequestContext req) {
        init(req, -1);
    }

    /** {@code init_body(buffer_size)}: size -1 means {@code client_body_buffer_size}; 0 means a file from the start. */
    public static void init(RequestContext req, long size) {
        Contexts.check(req, Contexts.OUTPUT);
        if (!req.bodyRead()) {
            throw new NgxApiException("request body not read yet");
        }
        if (size < -1) {
            throw new NgxApiException("bad size argument: " + size);
        }
        long limit = size == -1 ? bufferSize(req) : size;
        req.bodyBuilder(new BodyBuilder(limit));
    }

    public static void append(RequestContext req, byte[] data) {
        Contexts.check(req, Contexts.OUTPUT);
        builder(req).buffer.writeBytes(data);
    }

    public static void finish(RequestContext req) {
        Contexts.check(req, Contexts.OUTPUT);
        BodyBuilder b = builder(req);
        req.bodyBuilder(null);
        byte[] data = b.buffer.toByteArray();
        set(req, data);
        if (b.limit == 0 || data.length > b.limit) {
            toFile(req, data, true);
        }
    }

    private static BodyBuilder builder(RequestContext req) {
        if (!(req.bodyBuilder() instanceof BodyBuilder b)) {
            throw new NgxApiException("request body not initialized by ngx.req.init_body()");
        }
        return b;
    }

    /** A body being built by {@code append_body}, with the buffer size beyond which it lives in a file. */
    private static final class BodyBuilder {
        final long limit;
        final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        BodyBuilder(long limit) {
            this.limit = limit;
        }
    }

    private static void toFile(RequestContext req, byte[] body, boolean clean) {
        try {
            Path dir = tempDir(req);
            Files.createDirectories(dir);
            Path f = Files.createTempFile(dir, "", "");
            Files.write(f, body);
            String path = f.toString();
            req.bodyFile(path);
            if (clean) {
                req.addCleanup(() -> deleteQuietly(path));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the request body to a temporary file", e);
        }
    }

    private static Path tempDir(RequestContext req) {
        String configured = directive(req, "client_body_temp_path");
        return configured != null ? Path.of(configured)
                : Path.of(System.getProperty("java.io.tmpdir"), "resty4j", "client_body_temp");
    }

    private static void deleteQuietly(String path) {
        try {
            Files.deleteIfExists(Path.of(path));
        } catch (IOException e) {
            // a temp file that cannot go is no failure of the request
        }
    }

    private static long bufferSize(RequestContext req) {
        String v = directive(req, "client_body_buffer_size");
        if (v == null) {
            return DEFAULT_BUFFER_SIZE;
        }
        try {
            return Sizes.parseSize(v);
        } catch (IllegalArgumentException e) {
            return DEFAULT_BUFFER_SIZE;
        }
    }

    /** First argument of a directive of the request's location, else of the http block, else null. */
    private static String directive(RequestContext req, String name) {
        Location loc = req.location();
        List<String> args = loc == null ? null : loc.directive(name);
        if (args == null) {
            args = req.resty().settings().directive(name);
        }
        return args == null || args.isEmpty() ? null : args.get(0);
    }
}
