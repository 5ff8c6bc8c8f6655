package dev.resty4j.js.api;

import org.graalvm.polyglot.Value;

/** Optional arguments: host methods take {@code Value...} so that JS may omit trailing arguments, as Lua may. */
final class Args {

    private Args() {
    }

    /** The i-th argument, or null when not passed. */
    static Value at(Value[] args, int i) {
        return i < args.length ? args[i] : null;
    }
}
