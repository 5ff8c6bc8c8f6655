-- resty.session: lua-resty-session 4.x's API. Cookies, encryption, timeouts and storage are Java
-- (resty4j.native.session); this file keeps the script's data table and shapes the methods.
local native = require "resty4j.native.session"

local setmetatable, pairs, type = setmetatable, pairs, type

local _M = { _VERSION = "4.0.5" }

local defaults = {}

local function configuration(conf)
    local c = {}
    for k, v in pairs(defaults) do
        c[k] = v
    end
    if conf then
        for k, v in pairs(conf) do
            c[k] = v
        end
    end
    return c
end

local metatable = {}
metatable.__index = metatable

-- session methods ---------------------------------------------------------------------------

function metatable:open()
    local data, err = native.open(self._h)
    if data == nil then
        self.data = {}
        return nil, err
    end
    self.data = data
    return true
end

function metatable:save()
    return native.save(self._h, self.data)
end

function metatable:touch()
    return native.touch(self._h)
end

function metatable:refresh()
    return native.refresh(self._h, self.data)
end

function metatable:logout()
    local ok, err = native.logout(self._h)
    if ok then
        self.data = {}
    end
    return ok, err
end

function metatable:destroy()
    local ok, err = native.destroy(self._h)
    if ok then
        self.data = {}
    end
    return ok, err
end

function metatable:close()
    self.data = {}
end

function metatable:get(key)
    return self.data[key]
end

function metatable:set(key, value)
    self.data[key] = value
end

function metatable:get_data()
    return self.data
end

function metatable:set_data(data)
    if type(data) ~= "table" then
        error("data must be a table", 2)
    end
    self.data = data
end

function metatable:set_audience(audience)
    native.set(self._h, "audience", audience)
end

function metatable:get_audience()
    return native.get(self._h, "audience")
end

function metatable:set_subject(subject)
    native.set(self._h, "subject", subject)
end

function metatable:get_subject()
    return native.get(self._h, "subject")
end

function metatable:set_remember(value)
    native.set(self._h, "remember", value)
end

function metatable:get_remember()
    return native.get(self._h, "remember")
end

function metatable:get_property(name)
    return native.property(self._h, name)
end

-- module functions --------------------------------------------------------------------------

-- defaults for every session of this worker (call from init_by_lua / init_worker_by_lua)
function _M.init(conf)
    defaults = conf or {}
end

function _M.new(conf)
    return setmetatable({ _h = native.new(configuration(conf)), data = {} }, metatable)
end

-- session, err, exists
function _M.open(conf)
    local session = _M.new(conf)
    local exists, err = session:open()
    return session, err, exists == true
end

-- session, err, exists, refreshed
function _M.start(conf)
    local session, err, exists = _M.open(conf)
    if not exists then
        return session, err, false, false
    end
    local refreshed, rerr = session:refresh()
    return session, rerr, true, refreshed == true
end

-- ok, err, exists, logged_out
function _M.logout(conf)
    local session, err, exists = _M.open(conf)
    if not exists then
        return nil, err, false, false
    end
    local ok, lerr = session:logout()
    return ok, lerr, true, ok == true
end

-- ok, err, exists, destroyed
function _M.destroy(conf)
    local session, err, exists = _M.open(conf)
    if not exists then
        return nil, err, false, false
    end
    local ok, derr = session:destroy()
    return ok, derr, true, ok == true
end

return _M
