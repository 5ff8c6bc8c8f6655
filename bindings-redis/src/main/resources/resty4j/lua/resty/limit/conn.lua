-- resty.limit.conn for resty4j: lua-resty-limit-traffic's API over the Java limiter in
-- bindings-redis (dev.resty4j.redis.LimitModule); the shared dict picks the backend.
local native = require "resty4j.native.limit"
local setmetatable = setmetatable

local _M = { _VERSION = '0.06' }
local mt = { __index = _M }

function _M.new(dict_name, max, burst, default_conn_delay)
    local h, err = native.conn_new(dict_name, max, burst, default_conn_delay)
    if not h then
        return nil, err
    end
    return setmetatable({ _h = h }, mt)
end

function _M.incoming(self, key, commit)
    return native.conn_incoming(self._h, key, commit)
end

function _M.is_committed(self)
    return native.conn_is_committed(self._h)
end

function _M.leaving(self, key, req_latency)
    return native.conn_leaving(self._h, key, req_latency)
end

function _M.uncommit(self, key)
    return native.conn_uncommit(self._h, key)
end

function _M.set_conn(self, conn)
    native.conn_set_conn(self._h, conn)
end

function _M.set_burst(self, burst)
    native.conn_set_burst(self._h, burst)
end

return _M
