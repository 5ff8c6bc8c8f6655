-- What resty.limit.req, .count and .conn share: each is a class whose objects hold a handle of
-- the Java limiter (dev.resty4j.redis.LimitModule) and whose methods are the native functions
-- named <kind>_<method>, called with that handle.
local native = require "resty4j.native.limit"
local setmetatable = setmetatable
local ipairs = ipairs

local _M = {}

-- The class of limiter kind ("req", "count", "conn"): lua-resty-limit-traffic's _VERSION,
-- new(...) -> object | nil, err, and the given methods.
function _M.class(kind, version, methods)
    local class = { _VERSION = version }
    local mt = { __index = class }
    local new = native[kind .. "_new"]
    function class.new(...)
        local h, err = new(...)
        if not h then
            return nil, err
        end
        return setmetatable({ _h = h }, mt)
    end
    for _, name in ipairs(methods) do
        local f = native[kind .. "_" .. name]
        class[name] = function(self, ...)
            return f(self._h, ...)
        end
    end
    return class
end

return _M
