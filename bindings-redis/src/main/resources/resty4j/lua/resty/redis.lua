-- resty.redis for resty4j: lua-resty-redis's API over the Java implementation in
-- bindings-redis (dev.resty4j.redis.RedisSession). Only the API's shape lives here
-- (objects, methods generated on demand, table forms of hmset/hmget, module
-- prefixes); connections, pools, timeouts, pipelines, pub/sub and reply
-- conversion are in Java.

local native = require "resty4j.native.redis"

local rawget = rawget
local setmetatable = setmetatable
local select = select
local type = type
local pairs = pairs
local unpack = unpack or table.unpack
local error = error

local _M = { _VERSION = '0.34' }

local mt = { __index = _M }

local cmd = native.command

function _M.new(self)
    return setmetatable({ _h = native.new() }, mt)
end

function _M.set_timeout(self, timeout)
    local h = rawget(self, "_h")
    if not h then
        error("not initialized", 2)
    end
    native.set_timeout(h, timeout)
end

function _M.set_timeouts(self, connect_timeout, send_timeout, read_timeout)
    local h = rawget(self, "_h")
    if not h then
        error("not initialized", 2)
    end
    native.set_timeouts(h, connect_timeout, send_timeout, read_timeout)
end

function _M.connect(self, ...)
    local h = rawget(self, "_h")
    if not h then
        return nil, "not initialized"
    end
    return native.connect(h, ...)
end

local function simple(name)
    local fn = native[name]
    _M[name] = function(self, ...)
        local h = rawget(self, "_h")
        if not h then
            return nil, "not initialized"
        end
        return fn(h, ...)
    end
end

simple("set_keepalive")
simple("get_reused_times")
simple("close")
simple("read_reply")
simple("commit_pipeline")

function _M.init_pipeline(self, n)
    local h = rawget(self, "_h")
    if h then
        native.init_pipeline(h)
    end
end

function _M.cancel_pipeline(self)
    local h = rawget(self, "_h")
    if h then
        native.cancel_pipeline(h)
    end
end

-- the method of a Redis command (red:get(k), red:incr(k), …); one Lua frame between the script and
-- the Java implementation, as this runs for every command of every request
local function command_method(name)
    return function(self, ...)
        local h = rawget(self, "_h")
        if not h then
            return nil, "not initialized"
        end
        local prefix = rawget(self, "_module_prefix")
        if prefix then
            self._module_prefix = nil
            return cmd(h, prefix .. "." .. name, ...)
        end
        return cmd(h, name, ...)
    end
end

local hmset = command_method("hmset")
local hmget = command_method("hmget")

function _M.hmset(self, hashname, ...)
    if select("#", ...) == 1 then
        local t = ...
        local array = {}
        local i = 0
        for k, v in pairs(t) do
            array[i + 1] = k
            array[i + 2] = v
            i = i + 2
        end
        return hmset(self, hashname, unpack(array))
    end
    return hmset(self, hashname, ...)
end

function _M.hmget(self, hashname, ...)
    if select("#", ...) == 1 and type((...)) == "table" then
        return hmget(self, hashname, unpack((...)))
    end
    return hmget(self, hashname, ...)
end

function _M.array_to_hash(self, t)
    local h = {}
    for i = 1, #t, 2 do
        h[t[i]] = t[i + 1]
    end
    return h
end

function _M.register_module_prefix(mod)
    _M[mod] = function(self)
        self._module_prefix = mod
        return self
    end
end

-- deprecated in lua-resty-redis (methods are generated on demand), kept for old scripts
function _M.add_commands(...)
    local names = {...}
    for i = 1, #names do
        local name = names[i]
        _M[name] = command_method(name)
    end
end

-- every other method is a Redis command, generated on first use and cached
setmetatable(_M, { __index = function(t, name)
    local method = command_method(name)
    _M[name] = method
    return method
end })

return _M
