package dev.resty4j.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.resty4j.config.ConfigLoader;
import dev.resty4j.server.RestyServer;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page as a person sees it: rendered by a real headless Chromium (Debian's package, which
 * .ci/run installs), screenshot checked for what the styles draw. The screenshot is kept as
 * {@code server/target/status-page.png}.
 */
class StatusPageBrowserTest {

    static final String CONF = """
            worker_processes 2;
            http {
                lua_shared_dict sessions 1m;
                lua_shared_dict tiny 12k;
                server {
                    listen 127.0.0.1:0;
                    location = /fill {
                        content_by_lua_block {
                            for i = 1, 100 do ngx.shared.tiny:set("k" .. i, string.rep("x", 500)) end
                            for i = 1, 500 do ngx.shared.sessions:set("s" .. i, string.rep("y", 300)) end
                            ngx.say("ok")
                        }
                    }
                    location = /boom {
                        content_by_lua_block { error("the status page shows me") }
                    }
                }
            }
            """;

    static Path chromium() {
        for (String name : new String[] {"chromium", "chromium-browser", "google-chrome"}) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    @Test
    void rendersTheDictBarsTablesAndErrors(@TempDir Path dir) throws Exception {
        Path browser = chromium();
        assumeTrue(browser != null, "no chromium on PATH (.ci/run installs Debian's)");
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, CONF);
        AdminServer admin = new AdminServer();
        // closed in this order: the admin listener runs on the server's Vert.x
        try (RestyServer server = RestyServer.start(conf, "127.0.0.1:0", null, admin::configure,
                ConfigLoader.Options.strict()); AdminServer adminListener = admin) {
            admin.listen(server.resty().vertx(), "127.0.0.1:0", server::resty);
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (String path : new String[] {"/fill", "/boom"}) {
                client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port(0) + path)).build(),
                        HttpResponse.BodyHandlers.discarding());
            }
            Path shot = dir.resolve("status.png");
            Process p = new ProcessBuilder(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--hide-scrollbars", "--window-size=1100,900", "--screenshot=" + shot,
                    "http://127.0.0.1:" + admin.port() + "/")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("chromium finished").isTrue();
            assertThat(shot).exists();
            Files.copy(shot, Path.of("target", "status-page.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

            BufferedImage img = ImageIO.read(shot.toFile());
            assertThat(img.getWidth()).isEqualTo(1100);
            assertThat(img.getHeight()).isEqualTo(900);
            // The full dict's bar is drawn red (over 90% used), the other's blue, the table headers grey,
            // and there is text: the stylesheet was applied and the tables laid out.
            assertThat(count(img, 0xd9534f)).as("red bar pixels").isGreaterThan(500);
            assertThat(count(img, 0x2a7ae2)).as("blue bar pixels").isGreaterThan(20);
            assertThat(count(img, 0xf0f0f0)).as("header cell pixels").isGreaterThan(2000);
            assertThat(countDark(img)).as("text pixels").isGreaterThan(2000);
        }
    }

    /** Pixels within a small distance of an RGB colour (anti-aliasing and colour management shift edges). */
    private static int count(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int c = img.getRGB(x, y);
                if (Math.abs(((c >> 16) & 0xff) - ((rgb >> 16) & 0xff)) <= 6
                        && Math.abs(((c >> 8) & 0xff) - ((rgb >> 8) & 0xff)) <= 6
                        && Math.abs((c & 0xff) - (rgb & 0xff)) <= 6) {
                    n++;
                }
            }
        }
        return n;
    }

    private static int countDark(BufferedImage img) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int c = img.getRGB(x, y);
                if (((c >> 16) & 0xff) < 90 && ((c >> 8) & 0xff) < 90 && (c & 0xff) < 90) {
                    n++;
                }
            }
        }
        return n;
    }
}
