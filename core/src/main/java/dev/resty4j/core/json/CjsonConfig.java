package dev.resty4j.core.json;

/**
 * The settings of one lua-cjson instance ({@code require "cjson"}, {@code "cjson.safe"}, {@code cjson.new()}),
 * with lua-cjson 2.1's defaults. Mutable, as cjson's configuration functions change it in place; an instance
 * belongs to one worker VM, so it is never shared between threads.
 */
public final class CjsonConfig {

    /** {@code encode_invalid_numbers}: what encoding does with NaN and ±Infinity. */
    public enum InvalidNumbers {
        /** Raise "Cannot serialise number: must not be NaN or Infinity" (the default). */
        OFF,
        /** Write {@code NaN}, {@code Infinity}, {@code -Infinity}. */
        ON,
        /** Write {@code null}. */
        NULL
    }

    /** What {@link #sparseVerdict(double, long)} decides for a table whose keys are all positive integers. */
    public enum Sparse {
        /** Encode as a JSON array of {@code max} elements (holes become {@code null}). */
        ARRAY,
        /** Encode as a JSON object ({@code encode_sparse_array(true)} converts). */
        OBJECT,
        /** Raise "Cannot serialise table: excessively sparse array". */
        ERROR
    }

    public boolean encodeSparseConvert = false;
    public int encodeSparseRatio = 2;
    public int encodeSparseSafe = 10;
    public int encodeMaxDepth = 1000;
    public InvalidNumbers encodeInvalidNumbers = InvalidNumbers.OFF;
    public int encodeNumberPrecision = 14;
    /** Kept for {@code encode_keep_buffer}'s getter; buffers are not reused here, so it changes nothing else. */
    public boolean encodeKeepBuffer = true;
    public boolean encodeEmptyTableAsObject = true;
    /**
     * The value this instance reports for {@code encode_escape_forward_slash}. lua-cjson applies the setting
     * to a table shared by every instance of the process, so whether '/' is escaped is decided by the VM-wide
     * flag the engine passes to {@link JsonWriter}, not by this field.
     */
    public boolean encodeEscapeForwardSlash = true;
    public boolean encodeSkipUnsupportedValueTypes = false;

    public boolean decodeInvalidNumbers = true;
    public int decodeMaxDepth = 1000;
    public boolean decodeArrayWithArrayMt = false;

    /**
     * lua-cjson's sparse-array rule for a table whose keys are the positive integers {@code items} of them,
     * the largest {@code max}: an array unless the ratio is enabled (&gt; 0), {@code max > items * ratio} and
     * {@code max > safe}; then an object when conversion is on, else an error.
     */
    public Sparse sparseVerdict(double max, long items) {
        if (encodeSparseRatio > 0 && max > (double) items * encodeSparseRatio && max > encodeSparseSafe) {
            return encodeSparseConvert ? Sparse.OBJECT : Sparse.ERROR;
        }
        return Sparse.ARRAY;
    }
}
