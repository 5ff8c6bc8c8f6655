-- resty.limit.req for resty4j: lua-resty-limit-traffic's API over the Java limiter in
-- bindings-redis (dev.resty4j.redis.LimitModule). The shared dict's declaration picks
-- the backend: in memory (per instance) or redis=HOST:PORT (cluster-wide, atomic).
return require("resty4j.limiter").class("req", "0.09", { "incoming", "uncommit", "set_rate", "set_burst" })
