package dev.resty4j.core.phase;

import dev.resty4j.core.api.Output;
import dev.resty4j.core.request.RequestContext;
import java.nio.charset.StandardCharsets;

/**
 * The responses nginx makes up itself: error pages for {@code ngx.exit(403)}, {@code return 404},
 * redirects, and the 500 after a script error. Headers the script set stay (so
 * {@code ngx.header["Retry-After"]} reaches the client with a 429); the body is a small HTML page.
 */
public final class SpecialResponse {

    private SpecialResponse() {
    }

    /** Replaces whatever was pending with the special response for {@code status} and ends the request. */
    public static void send(RequestContext req, int status) {
        if (status == 444) {
            req.eof(true);
            req.headersSent(true);
            req.headTransmitted(true);
            req.sink().abort();
            return;
        }
        if (req.headersSent()) {
            // Output already started: nginx can only end what it began.
            Output.finish(req);
            return;
        }
        req.status(status);
        req.clearPending();
        byte[] body = req.isSubrequest() ? new byte[0] : page(status); // nginx sends no error page to a parent
        if (body.length > 0) {
            req.responseHeaders().set("Content-Type", "text/html");
        }
        req.responseHeaders().remove("Content-Length");
        if (body.length > 0) {
            Output.write(req, body);
        }
        Output.finish(req);
    }

    /** nginx's error page text for a status (empty for statuses that carry no body). */
    public static byte[] page(int status) {
        if (status < 300 || status == 304 || status == 204) {
            return new byte[0];
        }
        String title = status + " " + Reasons.phrase(status);
        String html = "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title
                + "</h1></center>\r\n<hr><center>resty4j</center>\r\n</body>\r\n</html>\r\n";
        return html.getBytes(StandardCharsets.ISO_8859_1);
    }
}
