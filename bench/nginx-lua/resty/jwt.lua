-- nginx side only: a stand-in for lua-resty-jwt's jwt:verify(secret, token) with HS256, which Debian
-- does not package. It does what lua-resty-jwt does for such a token (split, base64url-decode and JSON-decode
-- header and payload, HMAC-SHA256 over "header.payload" with OpenSSL, constant result compare, exp check),
-- without lua-resty-jwt's generality, so the nginx baseline it gives is if anything a little fast.
local ffi = require "ffi"
local cjson = require "cjson.safe"
local b64 = require "ngx.base64"

ffi.cdef [[
typedef struct evp_md_st EVP_MD;
const EVP_MD *EVP_sha256(void);
unsigned char *HMAC(const EVP_MD *evp_md, const void *key, int key_len,
                    const unsigned char *d, size_t n, unsigned char *md, unsigned int *md_len);
]]
local C = ffi.C
local md = ffi.new("unsigned char[32]")
local md_len = ffi.new("unsigned int[1]")

local function hmac_sha256(key, data)
    C.HMAC(C.EVP_sha256(), key, #key, data, #data, md, md_len)
    return ffi.string(md, md_len[0])
end

local _M = {}

function _M.verify(self, secret, token)
    local h, p, s = token:match("^([^.]+)%.([^.]+)%.([^.]+)$")
    if not h then
        return { verified = false, reason = "invalid jwt string" }
    end
    local header = cjson.decode(b64.decode_base64url(h) or "")
    local payload = cjson.decode(b64.decode_base64url(p) or "")
    if not header or not payload then
        return { verified = false, reason = "invalid header or payload" }
    end
    local obj = { header = header, payload = payload, signature = s, verified = false }
    if header.alg ~= "HS256" then
        obj.reason = "unsupported algorithm"
        return obj
    end
    if b64.encode_base64url(hmac_sha256(secret, h .. "." .. p)) ~= s then
        obj.reason = "signature mismatch: " .. s
        return obj
    end
    if payload.exp and payload.exp <= ngx.time() then
        obj.reason = "jwt token expired"
        return obj
    end
    obj.verified = true
    obj.reason = "everything is awesome~ :p"
    return obj
end

return _M
