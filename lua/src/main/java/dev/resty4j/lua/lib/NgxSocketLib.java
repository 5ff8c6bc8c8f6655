package dev.resty4j.lua.lib;

import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.request.RequestContext;
import dev.resty4j.core.socket.CosocketError;
import dev.resty4j.core.socket.Cosockets;
import dev.resty4j.core.socket.ReceiveUntil;
import dev.resty4j.core.socket.TcpCosocket;
import dev.resty4j.core.socket.UdpCosocket;
import dev.resty4j.core.worker.Worker;
import dev.resty4j.lua.LuaValues;
import dev.resty4j.lua.LuaWorkerVm;
import io.vertx.core.Future;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * {@code ngx.socket}: {@code tcp()} (also {@code stream()}), {@code udp()} and {@code connect()}. Socket
 * objects are Lua tables with a shared method table, as in lua-nginx-module (the core object sits at
 * index 1). Every method only converts arguments and results; the semantics are in
 * {@link dev.resty4j.core.socket}. Operations that wait suspend the script's fiber on the core's future.
 */
public final class NgxSocketLib {

    private static final LuaString EMPTY = LuaString.valueOf("");

    private final LuaWorkerVm vm;
    private final Cosockets cosockets;
    /** The metatable of TCP socket objects: the method table, its own {@code __index}, as in OpenResty. */
    private final LuaTable tcpMeta;
    private final LuaTable udpMeta;

    private NgxSocketLib(LuaWorkerVm vm) {
        this.vm = vm;
        this.cosockets = vm.worker().cosockets();
        this.tcpMeta = tcpMethods();
        tcpMeta.set("__index", tcpMeta);
        this.udpMeta = udpMethods();
        udpMeta.set("__index", udpMeta);
    }

    public static void install(LuaWorkerVm vm, LuaTable ngx) {
        NgxSocketLib lib = new NgxSocketLib(vm);
        LuaTable socket = new LuaTable();
        NgxFunction tcp = new NgxFunction("tcp", a -> {
            if (a.narg() != 0) {
                throw new NgxApiException("expecting zero arguments, but got " + a.narg());
            }
            return lib.newTcp();
        });
        socket.set("tcp", tcp);
        socket.set("stream", tcp);
        socket.set("udp", new NgxFunction("udp", a -> {
            if (a.narg() != 0) {
                throw new NgxApiException("expecting zero arguments, but got " + a.narg());
            }
            LuaTable t = new LuaTable();
            t.setmetatable(lib.udpMeta);
            t.rawset(1, new LuaUserdata(lib.cosockets.udp(vm.request())));
            return t;
        }));
        socket.set("connect", new NgxFunction("connect", a -> {
            LuaTable sock = lib.newTcp();
            Varargs r = lib.connect(LuaValue.varargsOf(sock, a));
            return r.arg1().toboolean() ? sock : r;
        }));
        ngx.set("socket", socket);
    }

    private LuaTable newTcp() {
        LuaTable t = new LuaTable();
        t.setmetatable(tcpMeta);
        t.rawset(1, new LuaUserdata(cosockets.tcp(vm.request())));
        return t;
    }

    // ------------------------------------------------------------------ tcp

    private LuaTable tcpMethods() {
        LuaTable m = new LuaTable();
        m.set("connect", new NgxFunction("connect", this::connect));
        m.set("sslhandshake", new NgxFunction("sslhandshake", this::sslHandshake));
        m.set("send", new NgxFunction("send", a -> {
            argCount(a, 2, 2, "expecting 2 arguments (including the object), but got " + a.narg());
            TcpCosocket s = tcp(a, "send");
            byte[] data = payload(a.arg(2), "send");
            return s == null ? closed() : await(s.send(req(), data), n -> LuaValue.valueOf((Integer) n));
        }));
        m.set("receive", new NgxFunction("receive", this::receive));
        m.set("receiveany", new NgxFunction("receiveany", a -> {
            argCount(a, 2, 2, "expecting 2 arguments (including the object), but got " + a.narg());
            TcpCosocket s = tcp(a, "receiveany");
            if (s == null) {
                return closed();
            }
            if (!a.arg(2).isnumber() || a.arg(2).tolong() <= 0) {
                throw argError(2, "receiveany", "bad max argument");
            }
            return awaitRead(s.receiveAny(req(), a.arg(2).tolong()));
        }));
        m.set("receiveuntil", new NgxFunction("receiveuntil", this::receiveUntil));
        m.set("close", new NgxFunction("close", a -> {
            argCount(a, 1, 1, "expecting 1 argument (including the object) but seen " + a.narg());
            TcpCosocket s = tcp(a, "close");
            return s == null ? closed() : await(s.close(req()), n -> LuaValue.valueOf((Integer) n));
        }));
        m.set("settimeout", new NgxFunction("settimeout", a -> {
            argCount(a, 2, 2, "ngx.socket settimeout: expecting 2 arguments (including the object) but seen " + a.narg());
            TcpCosocket s = tcp(a, "settimeout");
            if (s != null) {
                s.setTimeout(timeout(a.arg(2)));
            }
            return LuaValue.NONE;
        }));
        m.set("settimeouts", new NgxFunction("settimeouts", a -> {
            argCount(a, 4, 4, "ngx.socket settimeout: expecting 4 arguments (including the object) but seen " + a.narg());
            TcpCosocket s = tcp(a, "settimeouts");
            if (s != null) {
                s.setTimeouts(timeout(a.arg(2)), timeout(a.arg(3)), timeout(a.arg(4)));
            }
            return LuaValue.NONE;
        }));
        m.set("setkeepalive", new NgxFunction("setkeepalive", this::setKeepalive));
        m.set("getreusedtimes", new NgxFunction("getreusedtimes", a -> {
            argCount(a, 1, 1, "expecting 1 argument (including the object), but got " + a.narg());
            TcpCosocket s = tcp(a, "getreusedtimes");
            return s == null ? closed() : await(s.reusedTimes(), n -> LuaValue.valueOf((Integer) n));
        }));
        m.set("setoption", new NgxFunction("setoption", a -> {
            TcpCosocket s = tcp(a, "setoption");
            LuaValue opt = a.arg(2);
            LuaValue val = a.arg(3);
            if (opt.isnil()) {
                return error("missing the \"option\" argument");
            }
            if (val.isnil()) {
                return error("missing the \"value\" argument");
            }
            String name = opt.tojstring();
            if (!TcpCosocket.isOption(name)) {
                return error("unsupported option " + name);
            }
            int v = val.isboolean() ? (val.toboolean() ? 1 : 0) : val.checkint();
            return s == null ? closed() : await(s.setOption(name, v), ok -> LuaValue.TRUE);
        }));
        m.set("getoption", new NgxFunction("getoption", a -> {
            TcpCosocket s = tcp(a, "getoption");
            LuaValue opt = a.arg(2);
            if (opt.isnil()) {
                return error("missing the \"option\" argument");
            }
            String name = opt.tojstring();
            if (!TcpCosocket.isOption(name)) {
                return error("unsupported option " + name);
            }
            return s == null ? closed() : await(s.getOption(name), n -> LuaValue.valueOf((Integer) n));
        }));
        m.set("bind", new NgxFunction("bind", a -> {
            argCount(a, 2, 2, "expecting 2 arguments (including the object), but got " + a.narg());
            TcpCosocket s = tcp(a, "bind");
            String ip = LuaValues.str(a.checkstring(2));
            return s == null ? closed() : await(s.bind(req(), ip), n -> LuaValue.valueOf((Integer) n));
        }));
        return m;
    }

    private Varargs connect(Varargs a) {
        int n = a.narg();
        argCount(a, 2, 4, "ngx.socket connect: expecting 2, 3, or 4 arguments (including the object), but seen " + n);
        TcpCosocket s = tcp(a, "connect");
        if (!a.arg(2).isstring()) {
            throw argError(2, "connect", "string expected, got " + typeName(a, 2));
        }
        String host = LuaValues.str(a.arg(2));
        int poolSize = 0;
        int backlog = -1;
        String pool = null;
        if (a.arg(n).istable()) {
            LuaValue opts = a.arg(n);
            LuaValue size = opts.get("pool_size");
            if (size.isnumber()) {
                poolSize = size.toint();
                if (poolSize <= 0) {
                    throw argError(n, "connect", "bad \"pool_size\" option value: " + poolSize);
                }
            } else if (!size.isnil()) {
                throw argError(n, "connect", "bad \"pool_size\" option type: " + size.typename());
            }
            LuaValue bl = opts.get("backlog");
            if (bl.isnumber()) {
                backlog = bl.toint();
                if (backlog < 0) {
                    throw argError(n, "connect", "bad \"backlog\" option value: " + backlog);
                }
            }
            LuaValue p = opts.get("pool");
            if (p.isstring()) {
                pool = LuaValues.scalar(p);
            } else if (!p.isnil()) {
                throw argError(n, "connect", "bad \"pool\" option type: " + p.typename());
            }
            n--;
        }
        if (n == 4) {
            n--;
        }
        Integer port = null;
        if (n == 3 && a.arg(3).isnumber()) {
            port = a.arg(3).toint();
        }
        if (s == null) {
            return closed();
        }
        return await(s.connect(req(), host, port, pool, poolSize, backlog), ok -> LuaValue.ONE);
    }

    private Varargs sslHandshake(Varargs a) {
        int n = a.narg();
        argCount(a, 1, 5, "ngx.socket sslhandshake: expecting 1 ~ 5 arguments (including the object), but seen " + n);
        TcpCosocket s = tcp(a, "sslhandshake");
        if (s == null) {
            return closed();
        }
        // reused_session == false asks for no session object back; a session passed in is accepted (the
        // JDK resumes sessions by itself).
        boolean returnSession = !(a.arg(2).isboolean() && !a.arg(2).toboolean());
        String serverName = a.arg(3).isstring() ? LuaValues.str(a.arg(3)) : null;
        boolean verify = a.arg(4).toboolean();
        return await(s.sslHandshake(req(), returnSession, serverName, verify),
                r -> r instanceof Boolean ? LuaValue.TRUE : new LuaUserdata(r));
    }

    private Varargs receive(Varargs a) {
        int n = a.narg();
        argCount(a, 1, 2, "expecting 1 or 2 arguments (including the object), but got " + n);
        TcpCosocket s = tcp(a, "receive");
        if (s == null) {
            return closed();
        }
        if (n < 2) {
            return awaitRead(s.receiveLine(req()));
        }
        LuaValue p = a.arg(2);
        if (p.isnumber()) {
            long bytes = p.tolong();
            if (bytes < 0) {
                throw argError(2, "receive", "bad pattern argument");
            }
            return bytes == 0 ? EMPTY : awaitRead(s.receive(req(), bytes));
        }
        if (p.isstring()) {
            String pat = LuaValues.str(p);
            if (pat.length() != 2 || pat.charAt(0) != '*') {
                throw argError(2, "receive", "bad pattern argument: " + pat);
            }
            return switch (pat.charAt(1)) {
                case 'l' -> awaitRead(s.receiveLine(req()));
                case 'a' -> awaitRead(s.receiveAll(req()));
                default -> throw argError(2, "receive", "bad pattern argument");
            };
        }
        throw argError(2, "receive", "bad pattern argument");
    }

    private Varargs receiveUntil(Varargs a) {
        int n = a.narg();
        argCount(a, 2, 3, "expecting 2 or 3 arguments (including the object), but got " + n);
        boolean inclusive = false;
        if (n == 3) {
            if (!a.arg(3).istable()) {
                throw argError(3, "receiveuntil", "table expected, got " + typeName(a, 3));
            }
            LuaValue inc = a.arg(3).get("inclusive");
            if (inc.isboolean()) {
                inclusive = inc.toboolean();
            } else if (!inc.isnil()) {
                throw new NgxApiException("bad \"inclusive\" option value type: " + inc.typename());
            }
        }
        TcpCosocket s = tcp(a, "receiveuntil");
        if (!a.arg(2).isstring()) {
            throw argError(2, "receiveuntil", "string expected, got " + typeName(a, 2));
        }
        byte[] pattern = LuaValues.bytes(a.arg(2));
        if (pattern.length == 0) {
            return error("pattern is empty");
        }
        if (s == null) {
            return closed();
        }
        ReceiveUntil until = s.receiveUntil(pattern, inclusive);
        return new NgxFunction("receiveuntil iterator", it -> {
            if (it.narg() > 1) {
                throw new NgxApiException("expecting 0 or 1 arguments, but seen " + it.narg());
            }
            long size = it.narg() == 1 ? Math.max(0, it.checklong(1)) : 0;
            return awaitRead(until.next(req(), size));
        });
    }

    private Varargs setKeepalive(Varargs a) {
        int n = a.narg();
        argCount(a, 1, 3, "expecting 1 to 3 arguments (including the object), but got " + n);
        TcpCosocket s = tcp(a, "setkeepalive");
        if (s == null) {
            return closed();
        }
        Long timeout = n >= 2 && !a.arg(2).isnil() ? a.checklong(2) : null;
        Integer size = n >= 3 && !a.arg(3).isnil() ? a.checkint(3) : null;
        Future<Integer> f;
        try {
            f = s.setKeepalive(req(), timeout, size);
        } catch (NgxApiException e) {
            if (e.getMessage().startsWith("bad \"pool_size\"")) {
                throw argError(n, "setkeepalive", e.getMessage());
            }
            throw e;
        }
        return await(f, r -> LuaValue.ONE);
    }

    // ------------------------------------------------------------------ udp

    private LuaTable udpMethods() {
        LuaTable m = new LuaTable();
        m.set("setpeername", new NgxFunction("setpeername", a -> {
            int n = a.narg();
            argCount(a, 2, 3, "ngx.socket.udp setpeername: expecting 2 or 3 arguments (including the object), but seen " + n);
            UdpCosocket s = udp(a, "setpeername");
            if (!a.arg(2).isstring()) {
                throw argError(2, "setpeername", "string expected, got " + typeName(a, 2));
            }
            String host = LuaValues.str(a.arg(2));
            Integer port = n == 3 ? a.checkint(3) : null;
            return s == null ? closed() : await(s.setPeerName(req(), host, port), r -> LuaValue.ONE);
        }));
        m.set("send", new NgxFunction("send", a -> {
            argCount(a, 2, 2, "expecting 2 arguments (including the object), but got " + a.narg());
            UdpCosocket s = udp(a, "send");
            byte[] data = payload(a.arg(2), "send");
            return s == null ? closed() : await(s.send(req(), data), r -> LuaValue.ONE);
        }));
        m.set("receive", new NgxFunction("receive", a -> {
            argCount(a, 1, 2, "expecting 1 or 2 arguments (including the object), but got " + a.narg());
            UdpCosocket s = udp(a, "receive");
            int size = a.arg(2).isnil() ? UdpCosocket.MAX_DATAGRAM : (int) a.checkdouble(2);
            return s == null ? closed() : await(s.receive(req(), size), d -> LuaValues.lbytes((byte[]) d));
        }));
        m.set("settimeout", new NgxFunction("settimeout", a -> {
            argCount(a, 2, 2, "ngx.socket settimeout: expecting at least 2 arguments (including the object) but seen " + a.narg());
            UdpCosocket s = udp(a, "settimeout");
            if (s != null) {
                s.setTimeout((long) a.arg(2).optdouble(0));
            }
            return LuaValue.NONE;
        }));
        m.set("close", new NgxFunction("close", a -> {
            argCount(a, 1, 1, "expecting 1 argument (including the object) but seen " + a.narg());
            UdpCosocket s = udp(a, "close");
            return s == null ? closed() : await(s.close(req()), r -> LuaValue.ONE);
        }));
        m.set("bind", new NgxFunction("bind", a -> {
            argCount(a, 2, 2, "expecting 2 arguments (including the object), but got " + a.narg());
            UdpCosocket s = udp(a, "bind");
            String ip = LuaValues.str(a.checkstring(2));
            return s == null ? closed() : await(s.bind(ip), r -> LuaValue.ONE);
        }));
        return m;
    }

    // ------------------------------------------------------------------ helpers

    private RequestContext req() {
        return vm.request();
    }

    /** The core object of a TCP socket table; null for a table that is not one (OpenResty: "closed"). */
    private static TcpCosocket tcp(Varargs a, String fn) {
        return self(a, fn) instanceof TcpCosocket s ? s : null;
    }

    private static UdpCosocket udp(Varargs a, String fn) {
        return self(a, fn) instanceof UdpCosocket s ? s : null;
    }

    private static Object self(Varargs a, String fn) {
        LuaValue self = a.arg1();
        if (!self.istable()) {
            throw new NgxApiException("bad argument #1 to '" + fn + "' (table expected, got " + typeName(a, 1) + ")");
        }
        LuaValue u = self.rawget(1);
        return u instanceof LuaUserdata ud ? ud.m_instance : null;
    }

    private static String typeName(Varargs a, int i) {
        return i > a.narg() ? "no value" : a.arg(i).typename();
    }

    private static void argCount(Varargs a, int min, int max, String message) {
        if (a.narg() < min || a.narg() > max) {
            throw new NgxApiException(message);
        }
    }

    /**
     * Lua's "bad argument" error for argument {@code index} of a method call, counted as Lua counts them
     * for {@code sock:method(...)} calls (the object is not counted).
     */
    private static NgxApiException argError(int index, String fn, String message) {
        return new NgxApiException("bad argument #" + (index - 1) + " to '" + fn + "' (" + message + ")");
    }

    /** The bytes {@code send} writes: strings, numbers, booleans, nil and (nested) array tables of them. */
    private static byte[] payload(LuaValue v, String fn) {
        switch (v.type()) {
            case LuaValue.TSTRING:
                return LuaValues.bytes(v);
            case LuaValue.TNUMBER:
                return LuaValues.number(v.todouble()).getBytes(StandardCharsets.ISO_8859_1);
            case LuaValue.TNIL:
                return "nil".getBytes(StandardCharsets.ISO_8859_1);
            case LuaValue.TBOOLEAN:
                return (v.toboolean() ? "true" : "false").getBytes(StandardCharsets.ISO_8859_1);
            case LuaValue.TTABLE: {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                LuaValues.flatten(v, out, fn, 1, NgxBaseLib.NULL);
                return out.toByteArray();
            }
            default:
                throw argError(2, fn, "string, number, boolean, nil, or array table expected, got " + v.typename());
        }
    }

    /** Milliseconds from a timeout argument (nil is 0: the configured timeout). */
    private static long timeout(LuaValue v) {
        return (long) v.optdouble(0);
    }

    /** Waits for an operation; a {@link CosocketError} becomes {@code nil, err} (plus the partial data of a read). */
    private Varargs await(Future<?> f, Function<Object, Varargs> ok) {
        Worker worker = vm.worker();
        try {
            return ok.apply(worker.await(f));
        } catch (Worker.AwaitException e) {
            if (e.getCause() instanceof CosocketError ce) {
                return ce.partial() == null ? error(ce.getMessage())
                        : LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(ce.getMessage()), LuaValues.lbytes(ce.partial()));
            }
            throw e;
        }
    }

    /** A read's result: the data; null data is receiveuntil's end marker ({@code nil, nil, nil}). */
    private Varargs awaitRead(Future<byte[]> f) {
        return await(f, d -> d == null ? LuaValue.varargsOf(LuaValue.NIL, LuaValue.NIL, LuaValue.NIL)
                : LuaValues.lbytes((byte[]) d));
    }

    private static Varargs error(String message) {
        return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(message));
    }

    private static Varargs closed() {
        return error("closed");
    }
}
