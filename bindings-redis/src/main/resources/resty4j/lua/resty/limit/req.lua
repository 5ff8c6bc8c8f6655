-- resty.limit.req for resty4j: lua-resty-limit-traffic's API over the Java limiter in
-- bindings-redis (dev.resty4j.redis.LimitModule). The shared dict's declaration picks
-- the backend: in memory (per instance) or redis=HOST:PORT (cluster-wide, atomic).
local native = require "resty4j.native.limit"
local setmetatable = setmetatable

local _M = { _VERSION = '0.09' }
local mt = { __index = _M }

function _M.new(dict_name, rate, burst)
    local h, err = native.req_new(dict_name, rate, burst)
    if not h then
        return nil, err
    end
    return setmetatable({ _h = h }, mt)
end

function _M.incoming(self, key, commit)
    return native.req_incoming(self._h, key, commit)
end

function _M.uncommit(self, key)
    return native.req_uncommit(self._h, key)
end

function _M.set_rate(self, rate)
    native.req_set_rate(self._h, rate)
end

function _M.set_burst(self, burst)
    native.req_set_burst(self._h, burst)
end

return _M
