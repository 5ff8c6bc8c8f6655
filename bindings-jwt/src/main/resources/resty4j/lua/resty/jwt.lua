-- resty.jwt: lua-resty-jwt's API. Parsing, signatures, JWE decryption, key handling and the default
-- exp/nbf checks are Java (resty4j.native.jwt, on jose4j); this file only shapes the API and runs the
-- script's own claim validators (Lua functions) after the signature has been verified.
local native = require "resty4j.native.jwt"
local validators = require "resty.jwt-validators"

local type, select, pairs, ipairs, pcall, error, tostring, setmetatable, rawget =
      type, select, pairs, ipairs, pcall, error, tostring, setmetatable, rawget
local string_gsub, string_format = string.gsub, string.format

local _M = { _VERSION = "0.2.3" }
local mt = { __index = _M }

-- An object from load_jwt carries its token in its metatable (out of sight of pairs), so verify_jwt_obj
-- verifies exactly what was loaded. (Not a weak-keyed table: LuaJ keeps a dead slot's value until it
-- prunes the table, so every loaded token stayed reachable for a long while under load.)
local TOKEN = "__resty_jwt_token"

function _M.new()
    return setmetatable({}, mt)
end

-- settings: each setter derives a new policy handle (module-level settings are inherited by jwt.new()
-- instances through __index, as in lua-resty-jwt)
function _M.set_alg_whitelist(self, algorithms)
    self.alg_whitelist = algorithms
    self._policy = native.policy(self._policy, "alg_whitelist", algorithms)
end

function _M.set_trusted_certs_file(self, filename)
    self.trusted_certs_file = filename
    self._policy = native.policy(self._policy, "trusted_certs_file", filename)
end

-- resty4j: tokens longer than this are refused before parsing (default 16 KiB)
function _M.set_max_token_size(self, size)
    self._policy = native.policy(self._policy, "max_token_size", size)
end

function _M.set_x5u_content_retriever(self, retriever_function)
    if type(retriever_function) ~= "function" then
        error("'retriever_function' is expected to be a function", 0)
    end
    self.x5u_content_retriever = retriever_function
end

function _M.jwt_encode(self, ori)
    if type(ori) == "table" then
        ori = native.json_encode(ori)
    end
    return native.encode(ori)
end

function _M.jwt_decode(self, b64_str, json_decode)
    local data = native.decode(b64_str)
    if data and json_decode then
        return native.json_decode(data)
    end
    return data
end

-- a key object (PEM, JWK, JWK Set or {jwks_uri = ...} parsed once), or nil, err
function _M.load_key(self, key)
    return native.load_key(key)
end

local function reason_of(err)
    if type(err) == "table" then
        return err.reason or tostring(err)
    end
    local r = string_gsub(tostring(err), "^.-:%d-: ", "")
    return r
end

-- a secret given as function(kid) -> secret
local function secret_from_function(fn, jwt_obj)
    local kid = jwt_obj.header and jwt_obj.header.kid
    if kid == nil then
        error({ reason = "secret function specified without kid in header" })
    end
    return fn(kid) or error({ reason = "function returned nil for kid: " .. tostring(kid) })
end

local function deep_copy(v)
    if type(v) ~= "table" then
        return v
    end
    local c = {}
    for k, val in pairs(v) do
        c[k] = deep_copy(val)
    end
    return c
end

local legacy_options = { valid_issuers = true, lifetime_grace_period = true, require_nbf_claim = true, require_exp_claim = true }

local function is_legacy(spec)
    if type(spec) ~= "table" then
        return false
    end
    local legacy = false
    for k in pairs(spec) do
        if not legacy_options[k] then
            return false
        end
        legacy = true
    end
    return legacy
end

-- lua-resty-jwt's validation_options, as the claim spec they stand for
local function legacy_spec(o)
    local spec = {}
    if o.valid_issuers ~= nil then
        spec.iss = validators.equals_any_of(o.valid_issuers)
    end
    for _, name in ipairs({ "require_nbf_claim", "require_exp_claim" }) do
        if o[name] ~= nil and type(o[name]) ~= "boolean" then
            error(string_format("'%s' validation option is expected to be a boolean.", name), 0)
        end
    end
    local leeway = o.lifetime_grace_period
    if leeway ~= nil and (type(leeway) ~= "number" or leeway < 0) then
        error("'lifetime_grace_period' validation option is expected to be zero or a positive number.", 0)
    end
    if leeway ~= nil and not o.require_nbf_claim and not o.require_exp_claim then
        spec.__jwt = validators.require_one_of({ "nbf", "exp" })
    end
    if leeway ~= nil or o.require_nbf_claim ~= nil or o.require_exp_claim ~= nil then
        local opts = { leeway = leeway }
        spec.nbf = o.require_nbf_claim and validators.is_not_before(opts) or validators.opt_is_not_before(opts)
        spec.exp = o.require_exp_claim and validators.is_not_expired(opts) or validators.opt_is_not_expired(opts)
    end
    return spec
end

-- runs claim specs (tables of claim -> validator) on a verified object; false and sets reason on failure
local function run_claim_specs(jwt_obj, ...)
    local jwt_json = native.json_encode(jwt_obj)
    for i = 1, select("#", ...) do
        local spec = select(i, ...)
        if is_legacy(spec) then
            spec = legacy_spec(spec)
        end
        if type(spec) ~= "table" then
            error("Claim spec must be a table - see jwt-validators.lua for helper functions", 0)
        end
        for claim, fx in pairs(spec) do
            if claim == "__header" and type(fx) == "table" then
                for name, hfx in pairs(fx) do
                    local hv = jwt_obj.header and jwt_obj.header[name]
                    local ok, ret = pcall(hfx, hv, name, jwt_json)
                    if not ok or ret == false then
                        jwt_obj.verified = false
                        jwt_obj.reason = not ok and reason_of(ret)
                            or string_format("Header '%s' ('%s') returned failure", name, tostring(hv))
                        return false
                    end
                end
            else
                if type(fx) ~= "function" then
                    error("Claim spec value must be a function - see jwt-validators.lua for helper functions", 0)
                end
                local val
                if claim == "__jwt" then
                    val = deep_copy(jwt_obj)
                else
                    val = jwt_obj.payload and jwt_obj.payload[claim]
                end
                local ok, ret = pcall(fx, val, claim, jwt_json, jwt_obj.payload)
                if not ok then
                    jwt_obj.verified = false
                    jwt_obj.reason = reason_of(ret)
                    return false
                elseif ret == false then
                    jwt_obj.verified = false
                    jwt_obj.reason = string_format("Claim '%s' ('%s') returned failure", claim, tostring(val))
                    return false
                end
            end
        end
    end
    return true
end

-- lua-resty-jwt's x5u support: the script's retriever fetches the certificate the header points at
local function x5u_content(self, jwt_str)
    local retriever = self.x5u_content_retriever
    if not retriever or not self.trusted_certs_file then
        return nil
    end
    local obj = native.load(jwt_str, self._policy)
    local header = obj.valid and obj.header
    if not header or header.x5c ~= nil or header.x5u == nil then
        return nil
    end
    local ok, content = pcall(retriever, header.x5u, obj.payload and obj.payload.iss, header.kid)
    if not ok then
        return nil, "An error occured while invoking the x5u_content_retriever function."
    end
    return content
end

local function verify(self, secret, jwt_str, ...)
    local nspecs = select("#", ...)
    if type(secret) == "function" then
        local obj = native.load(jwt_str, self._policy)
        if not obj.valid then
            return obj
        end
        local ok, key = pcall(secret_from_function, secret, obj)
        if not ok then
            obj.reason = reason_of(key)
            return obj
        end
        secret = key
    end
    local x5u, x5u_err = x5u_content(self, jwt_str)
    if x5u_err then
        return { valid = true, verified = false, reason = x5u_err }
    end
    local jwt_obj = native.verify(secret, jwt_str, self._policy, validators.get_system_leeway(),
                                  validators.clock_override(), nspecs == 0, x5u)
    if nspecs > 0 and jwt_obj.verified then
        run_claim_specs(jwt_obj, ...)
    end
    return jwt_obj
end

function _M.verify(self, secret, jwt_str, ...)
    return verify(self, secret, jwt_str, ...)
end

function _M.load_jwt(self, jwt_str)
    local obj = native.load(jwt_str, self._policy)
    if obj.valid and getmetatable(obj) == nil then
        setmetatable(obj, { [TOKEN] = jwt_str })
    end
    return obj
end

function _M.verify_jwt_obj(self, secret, jwt_obj, ...)
    if not jwt_obj.valid then
        return jwt_obj
    end
    local mt = getmetatable(jwt_obj)
    local token = type(mt) == "table" and rawget(mt, TOKEN) or nil
    if not token then
        if not (jwt_obj.raw_header and jwt_obj.raw_payload and jwt_obj.signature) then
            jwt_obj.verified = false
            jwt_obj.reason = "invalid jwt string"
            return jwt_obj
        end
        token = jwt_obj.raw_header .. "." .. jwt_obj.raw_payload .. "." .. jwt_obj.signature
    end
    local result = verify(self, secret, token, ...)
    -- lua-resty-jwt updates the object it was given
    for k, v in pairs(result) do
        jwt_obj[k] = v
    end
    return jwt_obj
end

-- claims checks on an object verify() already verified (resty.jwt 0.4's validate_claims)
function _M.validate_claims(self, jwt_obj, ...)
    if jwt_obj.verified ~= true then
        return false, "claims can only be validated on a verified token"
    end
    if select("#", ...) == 0 then
        if not run_claim_specs(jwt_obj, { exp = validators.opt_is_not_expired(), nbf = validators.opt_is_not_before() }) then
            return false, jwt_obj.reason
        end
        return true
    end
    if not run_claim_specs(jwt_obj, ...) then
        return false, jwt_obj.reason
    end
    return true
end

function _M.sign(self, secret_key, jwt_obj)
    local header = jwt_obj.header
    if type(header) ~= "table" then
        error({ reason = "invalid jwt table: header must be a table" })
    end
    if type(secret_key) == "function" then
        secret_key = secret_from_function(secret_key, jwt_obj)
    end
    return native.sign(secret_key, header, jwt_obj.payload)
end

return _M
