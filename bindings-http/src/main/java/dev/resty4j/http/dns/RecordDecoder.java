package dev.resty4j.http.dns;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.dns.AbstractDnsRecord;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Netty's DNS record decoder, extended to read each record's data into the fields lua-resty-dns gives
 * scripts ({@code address}, {@code cname}, {@code exchange}, …). It must run inside the codec, where the
 * whole message is at hand: names in MX, SRV and SOA data may be compressed pointers into it.
 */
final class RecordDecoder extends DefaultDnsRecordDecoder {

    static final RecordDecoder INSTANCE = new RecordDecoder();

    static final int TYPE_A = 1;
    static final int TYPE_NS = 2;
    static final int TYPE_CNAME = 5;
    static final int TYPE_SOA = 6;
    static final int TYPE_PTR = 12;
    static final int TYPE_MX = 15;
    static final int TYPE_TXT = 16;
    static final int TYPE_AAAA = 28;
    static final int TYPE_SRV = 33;
    static final int TYPE_SPF = 99;

    private static final String[] SOA_FIELDS = {"serial", "refresh", "retry", "expire", "minimum"};

    /** A decoded record: lua-resty-dns's fields in insertion order (name, type, class, ttl, then the data's). */
    static final class Parsed extends AbstractDnsRecord {
        final Map<String, Object> fields;

        Parsed(String name, DnsRecordType type, int dnsClass, long ttl, Map<String, Object> fields) {
            super(name, type, dnsClass, ttl);
            this.fields = fields;
        }
    }

    private RecordDecoder() {
    }

    @Override
    protected DnsRecord decodeRecord(String name, DnsRecordType type, int dnsClass, long timeToLive, ByteBuf in,
                                     int offset, int length) throws Exception {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("name", stripDot(name));
        f.put("type", (long) type.intValue());
        f.put("class", (long) dnsClass);
        f.put("ttl", timeToLive);
        int t = type.intValue();
        ByteBuf data = in.duplicate().setIndex(offset, offset + length);
        switch (t) {
            case TYPE_A -> {
                if (length != 4) {
                    throw new IllegalStateException("bad A record value length: " + length);
                }
                f.put("address", (data.getUnsignedByte(offset)) + "." + data.getUnsignedByte(offset + 1) + "."
                        + data.getUnsignedByte(offset + 2) + "." + data.getUnsignedByte(offset + 3));
            }
            case TYPE_AAAA -> {
                if (length != 16) {
                    throw new IllegalStateException("bad AAAA record value length: " + length);
                }
                // lua-resty-dns prints each group in hex without leading zeros and does not compress "::"
                StringBuilder sb = new StringBuilder(39);
                for (int i = 0; i < 16; i += 2) {
                    if (i > 0) {
                        sb.append(':');
                    }
                    sb.append(Integer.toHexString(data.getUnsignedShort(offset + i)));
                }
                f.put("address", sb.toString());
            }
            case TYPE_CNAME -> f.put("cname", name(in, offset));
            case TYPE_NS -> f.put("nsdname", name(in, offset));
            case TYPE_PTR -> f.put("ptrdname", name(in, offset));
            case TYPE_MX -> {
                if (length < 3) {
                    throw new IllegalStateException("bad MX record value length: " + length);
                }
                f.put("preference", (long) data.getUnsignedShort(offset));
                f.put("exchange", name(in, offset + 2));
            }
            case TYPE_SRV -> {
                if (length < 7) {
                    throw new IllegalStateException("bad SRV record value length: " + length);
                }
                f.put("priority", (long) data.getUnsignedShort(offset));
                f.put("weight", (long) data.getUnsignedShort(offset + 2));
                f.put("port", (long) data.getUnsignedShort(offset + 4));
                f.put("target", name(in, offset + 6));
            }
            case TYPE_SOA -> {
                ByteBuf b = in.duplicate().readerIndex(offset);
                f.put("mname", stripDot(decodeName(b)));
                f.put("rname", stripDot(decodeName(b)));
                for (String field : SOA_FIELDS) {
                    f.put(field, b.readUnsignedInt());
                }
            }
            case TYPE_TXT, TYPE_SPF -> f.put(t == TYPE_TXT ? "txt" : "spf", strings(data, offset, length));
            default -> f.put("rdata", data.toString(offset, length, StandardCharsets.ISO_8859_1));
        }
        return new Parsed(name, type, dnsClass, timeToLive, f);
    }

    /** One character-string as a string, several as a list (as lua-resty-dns returns TXT data). */
    private static Object strings(ByteBuf data, int offset, int length) {
        List<String> out = new ArrayList<>(1);
        int pos = offset;
        int end = offset + length;
        while (pos < end) {
            int n = Math.min(data.getUnsignedByte(pos), end - pos - 1); // truncate an over-running string
            out.add(data.toString(pos + 1, n, StandardCharsets.ISO_8859_1));
            pos += n + 1;
        }
        if (out.isEmpty()) {
            return "";
        }
        return out.size() == 1 ? out.get(0) : out;
    }

    private static String name(ByteBuf message, int at) {
        return stripDot(decodeName(message.duplicate().readerIndex(at)));
    }

    static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
