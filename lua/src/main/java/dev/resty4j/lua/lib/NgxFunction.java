package dev.resty4j.lua.lib;

import dev.resty4j.core.api.NgxApiException;
import dev.resty4j.core.engine.LimitExceededException;
import dev.resty4j.lua.LuaLimitError;
import dev.resty4j.core.worker.Fiber;
import dev.resty4j.core.worker.Worker;
import dev.resty4j.lua.LuaWorkerVm;
import java.util.function.Function;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * A Lua function implemented in Java. Errors the core reports ({@link NgxApiException}) become Lua errors
 * with OpenResty's message, raised at the caller's position, so {@code pcall} returns exactly that text.
 */
public final class NgxFunction extends VarArgFunction {

    private final Function<Varargs, Varargs> body;

    public NgxFunction(String name, Function<Varargs, Varargs> body) {
        this.name = name;
        this.body = body;
    }

    @Override
    public Varargs invoke(Varargs args) {
        try {
            return body.apply(args);
        } catch (LimitExceededException e) {
            throw new LuaLimitError(e.getMessage());
        } catch (NgxApiException e) {
            throw new LuaError(e.getMessage(), 2);
        } catch (Worker.AwaitException e) {
            throw new LuaError(e.getMessage(), 2);
        } catch (Fiber.Killed e) {
            // the thread was killed while suspended: unwind it as ngx.exit does
            throw LuaWorkerVm.exit();
        } catch (LuaError e) {
            throw withArgumentPosition(e, args);
        }
    }

    /**
     * LuaJ's argument checks say "bad argument: number expected, got nil"; Lua (and so OpenResty's error
     * messages) say "bad argument #1 to 'sleep' (number expected, got nil)". The failing argument is the
     * first one of the type LuaJ reports.
     */
    private LuaError withArgumentPosition(LuaError e, Varargs args) {
        String m = e.getMessage();
        if (m == null || !m.startsWith("bad argument: ")) {
            return e;
        }
        String detail = m.substring("bad argument: ".length());
        int got = detail.lastIndexOf("got ");
        int index = 1;
        if (got >= 0) {
            String type = detail.substring(got + 4).trim();
            for (int i = 1; i <= Math.max(1, args.narg()); i++) {
                if (args.arg(i).typename().equals(type)) {
                    index = i;
                    break;
                }
            }
        }
        String fn = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : name;
        return new LuaError("bad argument #" + index + " to '" + fn + "' (" + detail + ")", 2);
    }
}
