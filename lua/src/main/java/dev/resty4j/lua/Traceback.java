package dev.resty4j.lua;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.luaj.vm2.Lua;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;

/**
 * The Lua frames at the moment an error was raised, and their rendering in lua-nginx-module's layout:
 * <pre>
 * stack traceback:
 * coroutine 0:
 * 	[C]: in function 'error'
 * 	content_by_lua(nginx.conf:42):3: in function 'f'
 * 	content_by_lua(nginx.conf:42):7: in main chunk
 * </pre>
 * "coroutine 0" is where the error was raised; the coroutines that resumed it follow as 1, 2, … Frames are
 * copied when the error is raised (cheap: a few array copies) and only rendered when the error reaches the
 * log. Function names come from the calling instruction, as Lua derives them ({@code global 'f'},
 * {@code local 'f'}, {@code method 'm'}, {@code field 'x'}, {@code upvalue 'u'} all print as {@code function 'f'}).
 *
 * @param message the error message in Lua's form ({@code chunk:3: msg})
 * @param levels  per coroutine, innermost first: its closures and pcs, bottom frame first
 */
record Traceback(String message, List<Level> levels) {

    /** lua-nginx-module prints at most this many frames per coroutine and this many coroutines. */
    private static final int MAX_FRAMES = 22;
    private static final int MAX_COROUTINES = 5;

    record Level(LuaClosure[] fns, int[] pcs) {}

    static Traceback capture(LuaHooks.CallStack stack, String rawMessage) {
        List<Level> levels = new ArrayList<>(2);
        for (LuaHooks.CallStack s = stack; s != null && levels.size() < MAX_COROUTINES; s = s.resumer) {
            int n = s.top + 1;
            levels.add(new Level(Arrays.copyOf(s.fns, n), Arrays.copyOf(s.pcs, n)));
        }
        return new Traceback(LuaWorkerVm.luaPosition(rawMessage), levels);
    }

    Traceback withMessage(String m) {
        return new Traceback(m, levels);
    }

    /** The "stack traceback:" text (without a trailing newline). */
    String render() {
        StringBuilder sb = new StringBuilder("stack traceback:");
        for (int c = 0; c < levels.size(); c++) {
            sb.append("\ncoroutine ").append(c).append(':');
            Level l = levels.get(c);
            int top = l.fns.length - 1;
            if (c == 0 && top >= 0 && l.fns[top] != null && raisedInJava(l.fns[top].p, l.pcs[top])) {
                String name = calledName(l.fns[top].p, l.pcs[top]);
                sb.append("\n\t[C]: ").append(name == null ? "?" : "in function '" + name + "'");
            }
            int shown = 0;
            for (int i = top; i >= 0 && shown < MAX_FRAMES; i--, shown++) {
                if (l.fns[i] == null) {
                    sb.append("\n\t[C]: ?");
                    continue;
                }
                Prototype p = l.fns[i].p;
                sb.append("\n\t").append(p.shortsource()).append(':').append(line(p, l.pcs[i])).append(':');
                if (p.linedefined == 0) {
                    sb.append(" in main chunk");
                    continue;
                }
                String name = i > 0 && l.fns[i - 1] != null ? calledName(l.fns[i - 1].p, l.pcs[i - 1]) : null;
                if (name != null) {
                    sb.append(" in function '").append(name).append('\'');
                } else {
                    sb.append(" in function <").append(p.shortsource()).append(':').append(p.linedefined).append('>');
                }
            }
        }
        return sb.toString();
    }

    /**
     * Whether the error came from a Java function the innermost Lua frame was calling (Lua shows it as a
     * {@code [C]} frame): the frame stands on a call, and the error is not the call's own failure.
     */
    private boolean raisedInJava(Prototype p, int pc) {
        int op = pc < p.code.length ? Lua.GET_OPCODE(p.code[pc]) : -1;
        if (op != Lua.OP_CALL && op != Lua.OP_TAILCALL) {
            return false;
        }
        String m = message;
        return !m.contains("attempt to call") && !m.endsWith("stack overflow");
    }

    static int line(Prototype p, int pc) {
        return p.lineinfo != null && pc >= 0 && pc < p.lineinfo.length ? p.lineinfo[pc] : 0;
    }

    /** The name of the function called by the instruction at {@code pc} ({@code f} in {@code f()}, {@code m} in {@code o:m()}). */
    static String calledName(Prototype p, int pc) {
        if (pc < 0 || pc >= p.code.length) {
            return null;
        }
        int i = p.code[pc];
        int op = Lua.GET_OPCODE(i);
        if (op != Lua.OP_CALL && op != Lua.OP_TAILCALL) {
            return null;
        }
        return registerName(p, pc, Lua.GETARG_A(i), 0);
    }

    /** What register {@code reg} holds at {@code pc}: a named local, or what the instruction that set it loaded. */
    private static String registerName(Prototype p, int pc, int reg, int depth) {
        LuaString local = p.getlocalname(reg + 1, pc);
        if (local != null) {
            return local.tojstring();
        }
        if (depth > 4) {
            return null;
        }
        for (int at = pc - 1; at >= 0; at--) {
            int i = p.code[at];
            int op = Lua.GET_OPCODE(i);
            int a = Lua.GETARG_A(i);
            boolean sets = op == Lua.OP_LOADNIL ? reg >= a && reg <= a + Lua.GETARG_B(i)
                    : op == Lua.OP_SELF ? reg == a || reg == a + 1
                    : Lua.testAMode(op) && a == reg;
            if (op == Lua.OP_JMP || op == Lua.OP_CALL && reg >= a) {
                return null; // control flow or a call result: no static name
            }
            if (!sets) {
                continue;
            }
            switch (op) {
                case Lua.OP_GETTABUP:
                case Lua.OP_GETTABLE:
                case Lua.OP_SELF:
                    return constantName(p, Lua.GETARG_C(i));
                case Lua.OP_GETUPVAL: {
                    int b = Lua.GETARG_B(i);
                    return b < p.upvalues.length && p.upvalues[b].name != null ? p.upvalues[b].name.tojstring() : null;
                }
                case Lua.OP_MOVE: {
                    int b = Lua.GETARG_B(i);
                    return b < a ? registerName(p, at, b, depth + 1) : null;
                }
                default:
                    return null;
            }
        }
        return null;
    }

    private static String constantName(Prototype p, int rk) {
        if (!Lua.ISK(rk)) {
            return null;
        }
        LuaValue k = p.k[Lua.INDEXK(rk)];
        return k.isstring() && !k.isnumber() ? k.tojstring() : null;
    }
}
