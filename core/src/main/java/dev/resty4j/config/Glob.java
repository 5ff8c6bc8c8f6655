package dev.resty4j.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * POSIX-style file name globbing as nginx's {@code include} uses it ({@code glob(3)} without flags):
 * {@code *}, {@code ?} and bracket expressions {@code [abc]}, {@code [a-z]}, {@code [!a]}; a backslash quotes
 * the next character; wildcards may appear in any path component; a leading {@code .} in a name is only
 * matched by a literal {@code .}; results are sorted by path. (No {@code {a,b}} alternation, unlike Java's
 * "glob:" syntax.) Only regular files are returned.
 */
final class Glob {

    private Glob() {}

    /** Whether nginx would treat {@code pattern} as a glob (it contains {@code *}, {@code ?} or {@code [}). */
    static boolean isGlob(String pattern) {
        return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0 || pattern.indexOf('[') >= 0;
    }

    /** The regular files matching {@code pattern}, sorted; empty when nothing matches. */
    static List<Path> expand(Path pattern) throws IOException {
        // Walk the components, keeping every path that matches so far. A null base means "relative to the
        // current directory" (so results stay relative, like the pattern).
        List<Path> current = new ArrayList<>();
        current.add(pattern.getRoot());
        int count = pattern.getNameCount();
        for (int k = 0; k < count; k++) {
            String component = pattern.getName(k).toString();
            boolean last = k == count - 1;
            List<Path> next = new ArrayList<>();
            for (Path base : current) {
                if (!isGlob(component)) {
                    Path p = child(base, unquote(component));
                    if (last ? Files.isRegularFile(p) : Files.isDirectory(p)) {
                        next.add(p);
                    }
                    continue;
                }
                Path dir = base == null ? Path.of(".") : base;
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                Pattern regex = toRegex(component);
                boolean dotAllowed = component.startsWith(".");
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                    for (Path entry : entries) {
                        String name = entry.getFileName().toString();
                        if ((dotAllowed || !name.startsWith(".")) && regex.matcher(name).matches()) {
                            Path p = child(base, name);
                            if (last ? Files.isRegularFile(p) : Files.isDirectory(p)) {
                                next.add(p);
                            }
                        }
                    }
                }
            }
            current = next;
        }
        current.removeIf(p -> p == null); // a pattern that is only a root
        current.sort(Comparator.comparing(Path::toString));
        return current;
    }

    private static Path child(Path base, String name) {
        return base == null ? Path.of(name) : base.resolve(name);
    }

    /** Removes glob backslash quoting from a component without wildcards. */
    private static String unquote(String component) {
        if (component.indexOf('\\') < 0) {
            return component;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            if (c == '\\' && i + 1 < component.length()) {
                c = component.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** Translates one glob path component into an anchored regular expression. */
    static Pattern toRegex(String glob) {
        StringBuilder re = new StringBuilder();
        int n = glob.length();
        for (int i = 0; i < n; i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '\\' -> {
                    if (i + 1 < n) {
                        i++;
                    }
                    re.append(Pattern.quote(String.valueOf(glob.charAt(i))));
                }
                case '[' -> {
                    int end = bracketEnd(glob, i);
                    if (end < 0) {
                        re.append("\\["); // no closing bracket: a literal '['
                    } else {
                        re.append(bracketToRegex(glob.substring(i + 1, end)));
                        i = end;
                    }
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    /** Offset of the ']' closing the bracket expression opened at {@code open}, or -1. */
    private static int bracketEnd(String glob, int open) {
        int i = open + 1;
        if (i < glob.length() && (glob.charAt(i) == '!' || glob.charAt(i) == '^')) {
            i++;
        }
        if (i < glob.length() && glob.charAt(i) == ']') { // a leading ']' is a member
            i++;
        }
        while (i < glob.length() && glob.charAt(i) != ']') {
            i++;
        }
        return i < glob.length() ? i : -1;
    }

    private static String bracketToRegex(String body) {
        StringBuilder re = new StringBuilder("[");
        int first = 0; // offset of the first member
        if (!body.isEmpty() && (body.charAt(0) == '!' || body.charAt(0) == '^')) {
            re.append('^');
            first = 1;
        }
        for (int i = first; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '-' && i > first && i < body.length() - 1) {
                re.append('-'); // a range like a-z; a leading or trailing '-' is a member
            } else if (Character.isLetterOrDigit(c)) {
                re.append(c);
            } else {
                re.append('\\').append(c);
            }
        }
        return re.append(']').toString();
    }
}
