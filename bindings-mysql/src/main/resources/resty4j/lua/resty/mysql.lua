-- resty.mysql for resty4j: lua-resty-mysql's API over the Vert.x MySQL client.
-- Only the method syntax lives here; connections, pools, timeouts, results and errors are handled in
-- Java (dev.resty4j.mysql.MysqlSession), so every script engine shares them.

local native = require "resty4j.native.mysql"
local setmetatable = setmetatable

local _M = { _VERSION = '0.27' }

local mt = { __index = _M }


function _M.new(self)
    return setmetatable({ _h = native.new() }, mt)
end


-- each method: the object's handle first; a table that did not come from new() is "not initialized",
-- as lua-resty-mysql answers for an object without a socket
local function method(name)
    local f = native[name]
    return function (self, ...)
        local h = self._h
        if not h then
            return nil, "not initialized"
        end
        return f(h, ...)
    end
end

_M.set_timeout = method("set_timeout")
_M.connect = method("connect")
_M.set_keepalive = method("set_keepalive")
_M.get_reused_times = method("get_reused_times")
_M.close = method("close")
_M.send_query = method("send_query")
_M.read_result = method("read_result")
_M.query = method("query")
_M.set_compact_arrays = method("set_compact_arrays")

-- prepared statements, as in lua-resty-mysql's master branch: id, err = db:prepare(sql);
-- res, err, errcode, sqlstate = db:execute(id, ...)
_M.prepare = method("prepare")
_M.execute = method("execute")


function _M.server_ver(self)
    local h = self._h
    if not h then
        return nil
    end
    return native.server_ver(h)
end


return _M
