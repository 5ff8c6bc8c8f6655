-- resty.limit.traffic for resty4j: combines limiter objects (resty.limit.req, .count,
-- .conn, or any object with incoming/uncommit) as lua-resty-limit-traffic does. Pure
-- aggregation over the limiters' own methods, so it stays in Lua.
local max = math.max

local _M = { _VERSION = '0.06' }

-- Checks every limiter without committing, then commits them all (the last one is
-- checked and committed at once); when one refuses, the ones already committed are
-- uncommitted. states[i] receives each limiter's second return value.
function _M.combine(limiters, keys, states)
    local n = #limiters
    local max_delay = 0
    for i = 1, n do
        local lim = limiters[i]
        local delay, err = lim:incoming(keys[i], i == n)
        if not delay then
            return nil, err
        end
        if i == n then
            if states then
                states[i] = err
            end
            max_delay = delay
        end
    end
    for i = 1, n - 1 do
        local lim = limiters[i]
        local delay, err = lim:incoming(keys[i], true)
        if not delay then
            for j = 1, i - 1 do
                -- errors of the rollback are ignored, as in the original
                limiters[j]:uncommit(keys[j])
            end
            limiters[n]:uncommit(keys[n])
            return nil, err
        end
        if states then
            states[i] = err
        end
        max_delay = max(max_delay, delay)
    end
    return max_delay
end

return _M
