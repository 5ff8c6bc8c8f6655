-- A minimal stand-in for resty.lrucache (new / get / set / delete with TTLs, least recently used
-- eviction) so the MySQL example test runs before resty4j ships the real module. The test puts this
-- directory on lua_package_path only when resty4j/lua/resty/lrucache.lua is not on the class path.
local _M = {}
local mt = { __index = _M }

function _M.new(size)
    if size < 1 then
        return nil, "size too small"
    end
    return setmetatable({ size = size, items = {}, order = {} }, mt)
end

local function touch(self, key)
    local order = self.order
    for i = #order, 1, -1 do
        if order[i] == key then
            table.remove(order, i)
            break
        end
    end
    order[#order + 1] = key
end

function _M.get(self, key)
    local item = self.items[key]
    if item == nil then
        return nil
    end
    if item.expires and item.expires <= ngx.now() then
        return nil, item.value
    end
    touch(self, key)
    return item.value
end

function _M.set(self, key, value, ttl)
    if self.items[key] == nil and #self.order >= self.size then
        local oldest = table.remove(self.order, 1)
        self.items[oldest] = nil
    end
    self.items[key] = { value = value, expires = ttl and ttl > 0 and ngx.now() + ttl or nil }
    touch(self, key)
end

function _M.delete(self, key)
    self.items[key] = nil
    for i = #self.order, 1, -1 do
        if self.order[i] == key then
            table.remove(self.order, i)
        end
    end
end

return _M
