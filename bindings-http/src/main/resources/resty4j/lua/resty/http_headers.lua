-- resty.http_headers: the case-insensitive header table of lua-resty-http responses.
-- Keys keep the spelling first seen; any spelling reads and writes the same entry.
local rawget, rawset, setmetatable = rawget, rawset, setmetatable
local str_lower = string.lower

local _M = { _VERSION = "0.17.2" }

function _M.new()
    local mt = {
        normalised = {},
    }

    mt.__index = function(t, k)
        return rawget(t, mt.normalised[str_lower(k)])
    end

    mt.__newindex = function(t, k, v)
        local k_normalised = str_lower(k)
        -- a new header keeps its spelling; an existing one keeps the first spelling
        if not mt.normalised[k_normalised] then
            mt.normalised[k_normalised] = k
            rawset(t, k, v)
        else
            rawset(t, mt.normalised[k_normalised], v)
        end
    end

    return setmetatable({}, mt)
end

return _M
