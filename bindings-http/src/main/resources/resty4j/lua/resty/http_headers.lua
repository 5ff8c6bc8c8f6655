-- resty.http_headers: the case-insensitive header table of lua-resty-http responses.
-- Keys keep the spelling first seen; any spelling reads and writes the same entry.
--
-- One metatable for all tables: a lookup in the exact spelling is a plain table read and never gets here;
-- any other spelling compares case-insensitively with the table's (few) keys. lua-resty-http makes a
-- metatable, a name map and two closures per response instead, which an interpreter pays for on every
-- resty.http call whether or not the script ever reads a header in another spelling.
local rawget, rawset, setmetatable, next, type = rawget, rawset, setmetatable, next, type
local str_lower = string.lower

local _M = { _VERSION = "0.17.2" }

-- the key of t that equals k but for case, if any
local function spelled(t, k)
    if type(k) ~= "string" then
        return nil
    end
    local lower = str_lower(k)
    for key in next, t do
        if type(key) == "string" and str_lower(key) == lower then
            return key
        end
    end
    return nil
end

local mt = {
    __index = function(t, k)
        local key = spelled(t, k)
        if key then
            return rawget(t, key)
        end
        return nil
    end,
    __newindex = function(t, k, v)
        rawset(t, spelled(t, k) or k, v)
    end,
}

-- new() as in lua-resty-http; new(t) makes a table of header names, already one entry per name
-- (the response headers from Java), into such a table
function _M.new(t)
    return setmetatable(t or {}, mt)
end

return _M
