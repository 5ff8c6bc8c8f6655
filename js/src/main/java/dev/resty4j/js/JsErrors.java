package dev.resty4j.js;

import dev.resty4j.core.engine.ScriptError;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;

/** JS errors as the core reports script errors: {@code chunk:line: message}, with a JS stack trace. */
final class JsErrors {

    private JsErrors() {
    }

    /** A syntax error's message; GraalJS already names source, line and column ({@code a.js:3:7 Expected …}). */
    static String syntaxMessage(PolyglotException e) {
        String m = e.getMessage();
        int nl = m == null ? -1 : m.indexOf('\n');
        return nl < 0 ? String.valueOf(m) : m.substring(0, nl);
    }

    /** A runtime error as the core's {@link ScriptError}: the first guest frame's position, then the JS stack. */
    static ScriptError runtime(PolyglotException e) {
        StringBuilder tb = new StringBuilder("stack traceback:");
        String position = null;
        for (PolyglotException.StackFrame f : e.getPolyglotStackTrace()) {
            if (!f.isGuestFrame()) {
                continue;
            }
            SourceSection s = f.getSourceLocation();
            String where = s == null ? "native" : s.getSource().getName() + ":" + s.getStartLine();
            if (position == null && s != null) {
                position = where;
            }
            String fn = f.getRootName();
            tb.append("\n\tat ").append(fn == null || fn.isEmpty() || fn.equals(":program") ? "<anonymous>" : fn)
                    .append(" (").append(where).append(')');
        }
        String msg = e.getMessage();
        return new ScriptError(position == null ? msg : position + ": " + msg, tb.toString(), e);
    }
}
