-- resty.limit.count for resty4j: lua-resty-limit-traffic's API over the Java limiter in
-- bindings-redis (dev.resty4j.redis.LimitModule); the shared dict picks the backend.
local native = require "resty4j.native.limit"
local setmetatable = setmetatable

local _M = { _VERSION = '0.06' }
local mt = { __index = _M }

function _M.new(dict_name, limit, window)
    local h, err = native.count_new(dict_name, limit, window)
    if not h then
        return nil, err
    end
    return setmetatable({ _h = h }, mt)
end

function _M.incoming(self, key, commit)
    return native.count_incoming(self._h, key, commit)
end

function _M.uncommit(self, key)
    return native.count_uncommit(self._h, key)
end

return _M
