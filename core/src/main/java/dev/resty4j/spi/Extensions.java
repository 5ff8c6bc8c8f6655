package dev.resty4j.spi;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/** The {@link RestyExtension}s on the class path, loaded once. */
public final class Extensions {

    private static volatile List<RestyExtension> all;

    private Extensions() {
    }

    public static List<RestyExtension> all() {
        List<RestyExtension> a = all;
        if (a == null) {
            List<RestyExtension> found = new ArrayList<>();
            ServiceLoader.load(RestyExtension.class, Extensions.class.getClassLoader()).forEach(found::add);
            all = a = List.copyOf(found);
        }
        return a;
    }

    /** Every directive some extension claims. */
    public static Set<String> claimedDirectives() {
        Set<String> names = new HashSet<>();
        for (RestyExtension e : all()) {
            names.addAll(e.directives());
        }
        return names;
    }
}
