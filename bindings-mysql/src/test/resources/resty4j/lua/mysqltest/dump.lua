-- Deterministic text for query results in tests: tables with sorted keys, arrays in order, strings
-- quoted with non-printable bytes as \xHH, numbers bare (so 12.5 and "12.5" differ), ngx.null as null.
local concat = table.concat
local sort = table.sort

local function str(s)
    return '"' .. s:gsub('[^\32-\126]', function (c)
        return string.format("\\x%02x", c:byte())
    end):gsub('"', '\\"') .. '"'
end

local dump

function dump(v)
    if v == ngx.null then
        return "null"
    end
    local t = type(v)
    if t == "string" then
        return str(v)
    end
    if t ~= "table" then
        return tostring(v)
    end
    local n = #v
    local count = 0
    for _ in pairs(v) do
        count = count + 1
    end
    local parts = {}
    if count == n then
        for i = 1, n do
            parts[i] = dump(v[i])
        end
        return "[" .. concat(parts, ",") .. "]"
    end
    local keys = {}
    for k in pairs(v) do
        keys[#keys + 1] = k
    end
    sort(keys, function (a, b) return tostring(a) < tostring(b) end)
    for i, k in ipairs(keys) do
        parts[i] = tostring(k) .. ":" .. dump(v[k])
    end
    return "{" .. concat(parts, ",") .. "}"
end

return dump
