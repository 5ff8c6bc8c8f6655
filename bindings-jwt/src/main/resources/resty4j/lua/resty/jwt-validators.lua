-- resty.jwt-validators: lua-resty-jwt's validator library. A validator is a script function
-- function(val, claim, jwt_json, payload) returning true/false or raising an error (the error becomes the
-- reason); these builders combine script functions and Lua patterns, so they live on the script side.
-- The date rules (exp / nbf / "is at" with leeway, and their messages) are the Java checks verify() uses
-- by default (resty4j.native.jwt check_date), so both agree.
local native = require "resty4j.native.jwt"

local type, ipairs, next, error, select, tostring = type, ipairs, next, error, select, tostring
local string_format, string_match, table_concat = string.format, string.match, table.concat

local _M = { _VERSION = "0.1.5" }

local messages = {
    nil_validator = "Cannot create validator for nil %s.",
    wrong_type_validator = "Cannot create validator for non-%s %s.",
    empty_table_validator = "Cannot create validator for empty table %s.",
    wrong_table_type_validator = "Cannot create validator for non-%s table %s.",
    required_claim = "'%s' claim is required.",
    wrong_type_claim = "'%s' is malformed.  Expected to be a %s.",
    missing_claim = "Missing one of claims - [ %s ].",
}

local function ensure_not_nil(v, e, ...)
    if v == nil then
        error(string_format(e, ...), 0)
    end
    return v
end

local function ensure_is_type(v, t, e, ...)
    if type(v) ~= t then
        error(string_format(e, ...), 0)
    end
    return v
end

local function ensure_is_table(v, e, ...)
    ensure_is_type(v, "table", e, ...)
    return ensure_not_nil(next(v), e, ...)
end

local function ensure_is_table_type(v, t, e, ...)
    if v ~= nil then
        ensure_is_table(v, e, ...)
        for _, val in ipairs(v) do
            ensure_is_type(val, t, e, ...)
        end
    end
    return v
end

-- defines opt_<name> (passes when the claim is absent) and <name> (requires it)
local function define_validator(name, fx)
    _M["opt_" .. name] = fx
    _M[name] = function(...)
        return _M.chain(_M.required(), fx(...))
    end
end

function _M.chain(...)
    local fns = { ... }
    for i = 1, select("#", ...) do
        ensure_is_type(fns[i], "function", messages.wrong_type_validator, "function", "chain_function")
    end
    return function(val, claim, jwt_json, payload)
        for _, fx in ipairs(fns) do
            if fx(val, claim, jwt_json, payload) == false then
                return false
            end
        end
        return true
    end
end

function _M.required(chain_function)
    if chain_function ~= nil then
        return _M.chain(_M.required(), chain_function)
    end
    return function(val, claim)
        ensure_not_nil(val, messages.required_claim, claim)
        return true
    end
end

function _M.require_one_of(claim_keys)
    ensure_not_nil(claim_keys, messages.nil_validator, "claim_keys")
    ensure_is_type(claim_keys, "table", messages.wrong_type_validator, "table", "claim_keys")
    ensure_is_table(claim_keys, messages.empty_table_validator, "claim_keys")
    ensure_is_table_type(claim_keys, "string", messages.wrong_table_type_validator, "string", "claim_keys")
    return function(val, claim)
        ensure_is_type(val, "table", messages.wrong_type_claim, claim, "table")
        ensure_is_type(val.payload, "table", messages.wrong_type_claim, claim .. ".payload", "table")
        for _, v in ipairs(claim_keys) do
            if val.payload[v] ~= nil then
                return true
            end
        end
        error(string_format(messages.missing_claim, table_concat(claim_keys, ", ")), 0)
    end
end

-- every listed claim must be present (attach to __jwt)
function _M.required_claims(claim_keys)
    ensure_is_table(claim_keys, messages.empty_table_validator, "claim_keys")
    ensure_is_table_type(claim_keys, "string", messages.wrong_table_type_validator, "string", "claim_keys")
    return function(val, claim)
        local payload = type(val) == "table" and val.payload or {}
        for _, k in ipairs(claim_keys) do
            if payload[k] == nil then
                error(string_format(messages.required_claim, k), 0)
            end
        end
        return true
    end
end

define_validator("check", function(check_val, check_function, name, check_type)
    name = name or "check_val"
    ensure_not_nil(check_val, messages.nil_validator, name)
    ensure_not_nil(check_function, messages.nil_validator, "check_function")
    ensure_is_type(check_function, "function", messages.wrong_type_validator, "function", "check_function")
    check_type = check_type or type(check_val)
    return function(val, claim)
        if val == nil then
            return true
        end
        ensure_is_type(val, check_type, messages.wrong_type_claim, claim, check_type)
        return check_function(val, check_val)
    end
end)

local function equality(val, check) return val == check end
local function pattern_match(val, pattern) return string_match(val, pattern) ~= nil end

define_validator("equals", function(check_val)
    return _M.opt_check(check_val, equality, "check_val")
end)

define_validator("matches", function(pattern)
    ensure_is_type(pattern, "string", messages.wrong_type_validator, "string", "pattern")
    return _M.opt_check(pattern, pattern_match, "pattern", "string")
end)

define_validator("any_of", function(check_values, check_function, name, check_type, table_type)
    name = name or "check_values"
    ensure_not_nil(check_values, messages.nil_validator, name)
    ensure_is_type(check_values, "table", messages.wrong_type_validator, "table", name)
    ensure_is_table(check_values, messages.empty_table_validator, name)
    table_type = table_type or type(check_values[1])
    ensure_is_table_type(check_values, table_type, messages.wrong_table_type_validator, table_type, name)
    ensure_not_nil(check_function, messages.nil_validator, "check_function")
    ensure_is_type(check_function, "function", messages.wrong_type_validator, "function", "check_function")
    check_type = check_type or table_type
    return _M.opt_check(check_values, function(v1, v2)
        for _, v in ipairs(v2) do
            if check_function(v1, v) then
                return true
            end
        end
        return false
    end, name, check_type)
end)

define_validator("equals_any_of", function(check_values)
    return _M.opt_any_of(check_values, equality, "check_values")
end)

define_validator("matches_any_of", function(patterns)
    return _M.opt_any_of(patterns, pattern_match, "patterns", "string", "string")
end)

-- true when the (string or array) claim contains one of check_values
define_validator("contains_any_of", function(check_values, name)
    return _M.opt_any_of(check_values, function(v1, v2)
        if type(v1) == "table" then
            for _, item in ipairs(v1) do
                if item == v2 then
                    return true
                end
            end
            return false
        end
        return v1 == v2
    end, name or "check_values", "table", "string")
end)

local function numeric(name, compare)
    define_validator(name, function(check_val)
        ensure_is_type(check_val, "number", messages.wrong_type_validator, "number", "check_val")
        return _M.opt_check(check_val, compare, "check_val", "number")
    end)
end
numeric("greater_than", function(v, c) return v > c end)
numeric("greater_than_or_equal", function(v, c) return v >= c end)
numeric("less_than", function(v, c) return v < c end)
numeric("less_than_or_equal", function(v, c) return v <= c end)

-- leeway and clock: module-wide state for the worker, as in lua-resty-jwt
local system_leeway = 0
local system_clock -- nil: the instance's clock (ngx.now)

function _M.set_system_leeway(leeway)
    if type(leeway) ~= "number" or leeway < 0 then
        error("leeway must be a non-negative number", 0)
    end
    system_leeway = leeway
end

function _M.get_system_leeway()
    return system_leeway
end

function _M.set_system_clock(clock)
    ensure_is_type(clock, "function", "clock must be a function")
    local t = clock()
    if type(t) ~= "number" or t < 0 then
        error("clock function must return a non-negative number", 0)
    end
    system_clock = clock
end

-- the time set_system_clock's function gives, or nil for the default clock (used by resty.jwt)
function _M.clock_override()
    return system_clock and system_clock() or nil
end

-- date validators: evaluated when called (not when built), with options.leeway or the system leeway
local function date_validator(name, rule)
    define_validator(name, function(options)
        local leeway = options and options.leeway
        if leeway ~= nil and (type(leeway) ~= "number" or leeway < 0) then
            error("leeway must be a non-negative number", 0)
        end
        return function(val, claim)
            local ok, reason = native.check_date(rule, val, claim, leeway or system_leeway, _M.clock_override())
            if not ok then
                error(reason, 0)
            end
            return true
        end
    end)
end
date_validator("is_not_before", "nbf")
date_validator("is_not_expired", "exp")
date_validator("is_at", "at")

return _M
