-- resty.redis for the nginx side of the benchmark: Debian's lua-resty-redis (module "nginx.redis",
-- 0.27) plus set_timeouts(connect, send, read), which the seed calls and 0.27 predates. Without it
-- the call goes out as a Redis command on the unconnected socket and every request logs
-- "attempt to send data on a closed socket", which would slow nginx down unfairly.
local redis = require "nginx.redis"

if not rawget(redis, "set_timeouts") then
    function redis.set_timeouts(self, connect_timeout, send_timeout, read_timeout)
        local sock = rawget(self, "_sock")
        if not sock then
            return nil, "not initialized"
        end
        sock:settimeouts(connect_timeout, send_timeout, read_timeout)
        return 1
    end
end

return redis
