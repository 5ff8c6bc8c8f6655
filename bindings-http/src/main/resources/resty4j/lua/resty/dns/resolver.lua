-- resty.dns.resolver: lua-resty-dns's API on resty4j's Java DNS client (resty4j.native.dns).
-- Queries, retries, TCP fallback and record decoding happen in Java; this file only shapes the API.
local native = require "resty4j.native.dns"

local setmetatable, ipairs = setmetatable, ipairs

local _M = {
    _VERSION = "0.22",
    TYPE_A = native.TYPE_A,
    TYPE_NS = native.TYPE_NS,
    TYPE_CNAME = native.TYPE_CNAME,
    TYPE_SOA = native.TYPE_SOA,
    TYPE_PTR = native.TYPE_PTR,
    TYPE_MX = native.TYPE_MX,
    TYPE_TXT = native.TYPE_TXT,
    TYPE_AAAA = native.TYPE_AAAA,
    TYPE_SRV = native.TYPE_SRV,
    TYPE_SPF = native.TYPE_SPF,
    CLASS_IN = native.CLASS_IN,
    SECTION_AN = native.SECTION_AN,
    SECTION_NS = native.SECTION_NS,
    SECTION_AR = native.SECTION_AR,
}

local mt = { __index = _M }


function _M.new(_, opts)
    local r, err = native.new(opts)
    if not r then
        return nil, err
    end
    return setmetatable({ r = r }, mt)
end


function _M.set_timeout(self, timeout)
    if not self.r then
        return nil, "not initialized"
    end
    native.set_timeout(self.r, timeout)
end


-- Shapes a Java result as lua-resty-dns returns it: the records table (with errcode/errstr for server
-- errors), or nil and the error; query() also hands back its tries table, filled with each try's error.
local function answers(records, err, errcode, errstr, tries_out, tries)
    if tries and tries_out then
        tries[1] = nil
        for i, e in ipairs(tries_out) do
            tries[i] = e
            tries[i + 1] = nil
        end
    end
    if not records then
        if not tries_out then
            return nil, err -- failed before any try (a bad name)
        end
        return nil, err, tries
    end
    if errcode then
        records.errcode = errcode
        records.errstr = errstr
    end
    if tries_out then
        return records, nil, tries
    end
    return records
end


function _M.query(self, qname, opts, tries)
    if not self.r then
        return nil, "not initialized"
    end
    native.set_id(self.r, self._id)
    local records, err, errcode, errstr, tries_out = native.query(self.r, qname, opts)
    return answers(records, err, errcode, errstr, tries_out, tries)
end


function _M.tcp_query(self, qname, opts)
    if not self.r then
        return nil, "not initialized"
    end
    native.set_id(self.r, self._id)
    local records, err, errcode, errstr = native.tcp_query(self.r, qname, opts)
    return answers(records, err, errcode, errstr)
end


_M.arpa_str = native.arpa_str
_M.expand_ipv6_addr = native.expand_ipv6_addr
_M.compress_ipv6_addr = native.compress_ipv6_addr


function _M.reverse_query(self, addr)
    return self:query(_M.arpa_str(addr), { qtype = _M.TYPE_PTR })
end


return _M
