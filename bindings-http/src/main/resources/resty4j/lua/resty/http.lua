-- resty.http: lua-resty-http's API on resty4j's Java HTTP client (resty4j.native.http).
-- Connections, pools, timeouts and HTTP itself are handled in Java; this file only shapes the API.
local native = require "resty4j.native.http"
local http_headers = require "resty.http_headers"

local ngx = ngx
local type, pairs, ipairs, tostring, setmetatable, rawget, select = type, pairs, ipairs, tostring, setmetatable, rawget, select
local tbl_concat = table.concat
local str_lower = string.lower

local _M = {
    _VERSION = native.VERSION,
    _USER_AGENT = native.USER_AGENT,
}

local mt = { __index = _M }


local HOP_BY_HOP_HEADERS = {
    ["connection"] = true,
    ["keep-alive"] = true,
    ["proxy-authenticate"] = true,
    ["proxy-authorization"] = true,
    ["te"] = true,
    ["trailers"] = true,
    ["transfer-encoding"] = true,
    ["upgrade"] = true,
    ["content-length"] = true,
}


function _M.new(_)
    return setmetatable({ h = native.new(), keepalive = true }, mt)
end


function _M.set_timeout(self, timeout)
    if not self.h then
        return nil, "not initialized"
    end
    native.set_timeout(self.h, timeout)
end


function _M.set_timeouts(self, connect_timeout, send_timeout, read_timeout)
    if not self.h then
        return nil, "not initialized"
    end
    native.set_timeouts(self.h, connect_timeout, send_timeout, read_timeout)
end


function _M.connect(self, options, ...)
    if not self.h then
        return nil, "not initialized"
    end
    if type(options) == "table" then
        return native.connect(self.h, options)
    end
    -- the older connect(host, port, opts) form
    return native.connect_legacy(self.h, options, ...)
end


function _M.ssl_handshake(self)
    return nil, "ssl_handshake is not supported by resty4j: connect with { scheme = \"https\", ... }"
end


function _M.set_keepalive(self, ...)
    if not self.h then
        return nil, "not initialized"
    end
    return native.set_keepalive(self.h, ...)
end


function _M.get_reused_times(self)
    if not self.h then
        return nil, "not initialized"
    end
    return native.get_reused_times(self.h)
end


function _M.close(self)
    if not self.h then
        return nil, "not initialized"
    end
    return native.close(self.h)
end


function _M.parse_uri(_, uri, query_in_path)
    return native.parse_uri(uri, query_in_path)
end


-- The request parameters Java reads: a query table encoded, a body table or function left to the caller.
-- The caller's table is copied only when one of those is to be changed (Java copies what it reads anyway).
local function prepare(params)
    local query, body = params.query, params.body
    local query_table, body_type = type(query) == "table", type(body)
    if not query_table and (body_type == "string" or body_type == "nil") then
        return params
    end
    local p = {}
    for k, v in pairs(params) do
        p[k] = v
    end
    if query_table then
        p.query = ngx.encode_args(query)
    end
    if body_type == "table" then
        local parts = {}
        for i, v in ipairs(body) do
            parts[i] = tostring(v)
        end
        p.body = tbl_concat(parts)
    elseif body_type == "function" then
        p.body = nil
    elseif body ~= nil then
        p.body = tostring(body)
    end
    return p
end


local function make_response(h, r)
    local headers = http_headers.new(r.headers) -- one entry per name already (Java merges them)
    local ex = r.exchange
    -- The methods close over the Java exchange. (A weak-keyed table from response to exchange held every
    -- exchange until LuaJ pruned its dead slots, tens of thousands under load: long young-GC pauses.)
    local res = {
        status = r.status,
        reason = r.reason,
        headers = headers,
        has_body = r.has_body,
        read_body = function(self)
            if not self.body_reader then
                return nil, "no body to be read"
            end
            if not self.has_body then
                return ""
            end
            return native.read_all(h, ex)
        end,
        read_trailers = function(self)
            local trailers = http_headers.new()
            for _, kv in ipairs(native.trailers(h, ex)) do
                trailers[kv[1]] = kv[2]
            end
            setmetatable(self.headers, { __index = trailers })
        end,
    }
    if r.has_body then
        res.body_reader = function(max_chunk_size)
            return native.read(h, ex, max_chunk_size)
        end
    else
        res.body_reader = function() return nil end
    end
    return res
end


-- Sends a request whose body is an iterator function, chunk by chunk.
local function send_streamed(self, params)
    local ex, err = native.send_request(self.h, prepare(params), true)
    if not ex then
        return nil, err
    end
    local body = params.body
    repeat
        local chunk, cerr = body()
        if chunk then
            local ok, werr = native.write_body(self.h, ex, chunk)
            if not ok then
                return nil, werr
            end
        elseif cerr ~= nil then
            return nil, cerr
        end
    until chunk == nil
    local ok, eerr = native.end_body(self.h, ex)
    if not ok then
        return nil, eerr
    end
    return ex
end


local function send(self, params)
    if type(params.body) == "function" then
        return send_streamed(self, params)
    end
    return native.send_request(self.h, prepare(params), false)
end


function _M.send_request(self, params)
    if not self.h then
        return nil, "not initialized"
    end
    local ex, err = send(self, params or {})
    if not ex then
        return nil, err
    end
    self.pending = ex
    return true
end


function _M.read_response(self, params)
    local ex = self.pending
    if not ex then
        return nil, "no request sent"
    end
    self.pending = nil
    local r, err = native.read_response(self.h, ex)
    if not r then
        return nil, err
    end
    return make_response(self.h, r)
end


function _M.request(self, params)
    if not self.h then
        return nil, "not initialized"
    end
    params = params or {}
    if type(params.body) ~= "function" then
        local r, err = native.request(self.h, prepare(params))
        if not r then
            return nil, err
        end
        return make_response(self.h, r)
    end
    local ex, err = send_streamed(self, params)
    if not ex then
        return nil, err
    end
    local r, rerr = native.read_response(self.h, ex)
    if not r then
        return nil, rerr
    end
    return make_response(self.h, r)
end


function _M.request_pipeline(self, requests)
    if not self.h then
        return nil, "not initialized"
    end
    local sent = {}
    for i, params in ipairs(requests) do
        if params.headers and params.headers["Expect"] == "100-continue" then
            return nil, "Cannot pipeline request specifying Expect: 100-continue"
        end
        local ex, err = send(self, params)
        if not ex then
            return nil, err
        end
        sent[i] = ex
    end

    local h = self.h
    local responses = {}
    for i, params in ipairs(requests) do
        responses[i] = setmetatable({ params = params, response_read = false }, {
            -- each response is read lazily, when a field is first used, in order
            __index = function(t, k)
                if t.response_read == false then
                    t.response_read = true
                    local r, err = native.read_response(h, sent[i])
                    if not r then
                        ngx.log(ngx.ERR, err)
                    else
                        local res = make_response(h, r)
                        for rk, rv in pairs(res) do
                            t[rk] = rv
                        end
                    end
                end
                return rawget(t, k)
            end,
        })
    end
    return responses
end


function _M.request_uri(self, uri, params)
    if not self.h then
        return nil, "not initialized"
    end
    params = params or {}
    if self.proxy_opts then
        -- as lua-resty-http: the object's proxy options apply to request_uri
        local p = {}
        for k, v in pairs(params) do
            p[k] = v
        end
        p.proxy_opts = self.proxy_opts
        params = p
    end
    if type(params.body) == "function" then
        -- streamed request bodies take the long way, as in lua-resty-http
        local parsed, err = self:parse_uri(uri, false)
        if not parsed then
            return nil, err
        end
        local p = {}
        for k, v in pairs(params) do
            p[k] = v
        end
        p.scheme, p.host, p.port = parsed[1], parsed[2], parsed[3]
        p.path = p.path or parsed[4]
        p.query = p.query or parsed[5]
        p.ssl_server_name = p.ssl_server_name or p.host
        local ok, cerr = self:connect(p)
        if not ok then
            return nil, cerr
        end
        local res, rerr = self:request(p)
        if not res then
            self:close()
            return nil, rerr
        end
        local body, berr = res:read_body()
        if not body then
            self:close()
            return nil, berr
        end
        res.body = body
        if p.keepalive == false then
            self:close()
        else
            local kok, kerr = self:set_keepalive(p.keepalive_timeout, p.keepalive_pool)
            if not kok then
                ngx.log(ngx.ERR, kerr)
            end
        end
        return res
    end
    local r, err = native.request_uri(self.h, uri, prepare(params))
    if not r then
        return nil, err
    end
    local res = make_response(self.h, r)
    res.body = r.body
    return res
end


function _M.set_proxy_options(self, opts)
    self.proxy_opts = opts
end


function _M.get_proxy_uri(self, scheme, host)
    if not self.proxy_opts then
        return nil
    end
    return native.proxy_uri(self.proxy_opts, scheme, host)
end


function _M.get_client_body_reader(self, chunksize)
    ngx.req.read_body()
    local data = ngx.req.get_body_data()
    if not data then
        return nil
    end
    local done = false
    return function()
        if done then
            return nil
        end
        done = true
        return data
    end
end


function _M.proxy_request(self, chunksize)
    return self:request({
        method = ngx.req.get_method(),
        path = ngx.var.uri .. (ngx.var.is_args or "") .. (ngx.var.query_string or ""),
        body = self:get_client_body_reader(chunksize),
        headers = ngx.req.get_headers(),
    })
end


function _M.proxy_response(_, response, chunksize)
    if not response then
        ngx.log(ngx.ERR, "no response provided")
        return
    end
    ngx.status = response.status
    -- Filter out hop-by-hop headers
    for k, v in pairs(response.headers) do
        if not HOP_BY_HOP_HEADERS[str_lower(k)] then
            ngx.header[k] = v
        end
    end
    local reader = response.body_reader
    repeat
        local chunk, err = reader(chunksize)
        if err then
            ngx.log(ngx.ERR, err)
            break
        end
        if chunk then
            local res, perr = ngx.print(chunk)
            if not res then
                ngx.log(ngx.ERR, perr)
                break
            end
        end
    until not chunk
end


return _M
