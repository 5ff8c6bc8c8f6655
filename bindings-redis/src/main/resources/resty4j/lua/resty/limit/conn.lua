-- resty.limit.conn for resty4j: lua-resty-limit-traffic's API over the Java limiter in
-- bindings-redis (dev.resty4j.redis.LimitModule); the shared dict picks the backend.
return require("resty4j.limiter").class("conn", "0.06",
    { "incoming", "is_committed", "leaving", "uncommit", "set_conn", "set_burst" })
