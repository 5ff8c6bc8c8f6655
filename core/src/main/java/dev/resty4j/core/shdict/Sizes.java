package dev.resty4j.core.shdict;

/** nginx configuration size syntax, as used by {@code lua_shared_dict NAME SIZE}. */
public final class Sizes {

    private Sizes() {}

    /**
     * Parses an nginx size: a decimal number of bytes, optionally followed by one unit letter {@code k}/{@code K}
     * (KiB), {@code m}/{@code M} (MiB) or {@code g}/{@code G} (GiB): {@code "8192"}, {@code "512k"},
     * {@code "10M"}, {@code "1g"}.
     *
     * <p>Like nginx's {@code ngx_parse_size}, no sign, fraction, blank or second letter is allowed.
     *
     * @return the size in bytes
     * @throws IllegalArgumentException when the text is not a size, or the size does not fit a {@code long}
     */
    public static long parseSize(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("invalid size: empty (expected e.g. 8192, 512k, 10m or 1g)");
        }
        long unit = switch (text.charAt(text.length() - 1)) {
            case 'k', 'K' -> 1L << 10;
            case 'm', 'M' -> 1L << 20;
            case 'g', 'G' -> 1L << 30;
            default -> 1L;
        };
        int digitsEnd = unit == 1 ? text.length() : text.length() - 1;
        if (digitsEnd == 0) {
            throw invalid(text);
        }
        long number = 0;
        for (int i = 0; i < digitsEnd; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw invalid(text);
            }
            try {
                number = Math.addExact(Math.multiplyExact(number, 10), c - '0');
            } catch (ArithmeticException e) {
                throw tooLarge(text);
            }
        }
        try {
            return Math.multiplyExact(number, unit);
        } catch (ArithmeticException e) {
            throw tooLarge(text);
        }
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("invalid size \"" + text
                + "\": expected a number of bytes optionally followed by k, m or g (e.g. 8192, 512k, 10m, 1g)");
    }

    private static IllegalArgumentException tooLarge(String text) {
        return new IllegalArgumentException("invalid size \"" + text + "\": too large");
    }
}
