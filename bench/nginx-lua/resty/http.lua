-- nginx side only: a stand-in for lua-resty-http's httpc:request_uri(uri) (GET, keep-alive pool, a
-- Content-Length body), which Debian does not package. It does less than lua-resty-http (no chunked
-- bodies, no redirects, no TLS), so the nginx baseline it gives is if anything a little fast.
local _M = {}
local mt = { __index = _M }

function _M.new()
    return setmetatable({ sock = ngx.socket.tcp() }, mt)
end

function _M.request_uri(self, uri, params)
    local host, port, path = uri:match("^http://([^:/]+):?(%d*)(/.*)$")
    port = tonumber(port) or 80
    local sock = self.sock
    sock:settimeouts(60000, 60000, 60000)
    local ok, err = sock:connect(host, port)
    if not ok then
        return nil, err
    end
    local bytes, err = sock:send("GET " .. path .. " HTTP/1.1\r\nHost: " .. host .. "\r\nUser-Agent: bench\r\n\r\n")
    if not bytes then
        return nil, err
    end
    local line, err = sock:receive("*l")
    if not line then
        return nil, err
    end
    local status = tonumber(line:sub(10, 12))
    local headers = {}
    while true do
        local l, err = sock:receive("*l")
        if not l then
            return nil, err
        end
        if l == "" then
            break
        end
        local name, value = l:match("^([^:]+):%s*(.*)$")
        if name then
            headers[name:lower()] = value
        end
    end
    local body = ""
    local len = tonumber(headers["content-length"])
    if len and len > 0 then
        body, err = sock:receive(len)
        if not body then
            return nil, err
        end
    end
    params = params or {}
    sock:setkeepalive(params.keepalive_timeout, params.keepalive_pool)
    return { status = status, headers = headers, body = body }
end

return _M
