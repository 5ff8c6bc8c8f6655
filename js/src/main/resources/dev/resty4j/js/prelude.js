// The shape of the JS API, evaluated once per worker context. Only the shape lives here (which host
// functions appear where, accessors, Promise plumbing); every semantic is the core's, in Java.
(function (host) {
  'use strict';
  function copy(target, from, names) {
    for (const n of names.split(',')) {
      if (n) target[n] = from[n];
    }
    return target;
  }

  const ngx = copy({}, host.base, host.base_names);
  Object.assign(ngx, JSON.parse(host.constants_json));
  ngx.null = null;
  ngx.var = host.var;
  ngx.header = host.header;
  ngx.shared = host.shared;
  ngx.arg = host.arg;
  ngx.req = copy({}, host.req, host.req_names);
  ngx.resp = copy({}, host.resp, host.resp_names);
  ngx.re = copy({}, host.re, host.re_names);
  ngx.timer = copy({}, host.timer, host.timer_names);
  ngx.worker = copy({}, host.worker, host.worker_names);
  ngx.config = { subsystem: 'http', debug: false, ngx_lua_version: 10026, nginx_version: 1027001 };
  Object.defineProperty(ngx, 'status', { get: () => host.status(), set: (v) => host.set_status(v), enumerable: true });
  Object.defineProperty(ngx, 'ctx', { get: () => host.ctx(), set: (v) => host.set_ctx(v), enumerable: true });
  Object.defineProperty(ngx, 'headers_sent', { get: () => host.headers_sent(), enumerable: true });
  Object.defineProperty(ngx, 'is_subrequest', { get: () => host.is_subrequest(), enumerable: true });

  // Light threads: an async function already runs until its first await, as ngx.thread.spawn runs the
  // child until it first yields; the handler ends when the I/O its threads started is done.
  ngx.thread = {
    spawn(fn, ...args) {
      return (async () => fn(...args))();
    },
    wait(...threads) {
      return Promise.race(threads);
    },
  };

  // Lua's os.getenv, under the same name (only variables declared with env NAME; are visible)
  const os = { getenv: ngx.getenv };
  delete ngx.getenv;

  const cache = { ngx: ngx };
  function require(name) {
    if (Object.prototype.hasOwnProperty.call(cache, name)) return cache[name];
    if (name === 'ngx.re') return (cache[name] = { split: ngx.re.split, opt: ngx.re.opt });
    if (name === 'cjson' || name === 'cjson.safe') {
      return (cache[name] = { encode: (v) => JSON.stringify(v), decode: (s) => JSON.parse(s), null: null });
    }
    const m = host.modules.load(name);
    if (m === null || m === undefined) throw new Error("module '" + name + "' not found");
    return (cache[name] = m);
  }

  // njs's fetch on bindings-http (resty4j.native.http); a Promise of a Response.
  ngx.fetch = async function (url, options) {
    const opts = options || {};
    let http;
    try {
      http = require('resty4j.native.http');
    } catch (e) {
      throw new Error('ngx.fetch needs resty4j-bindings-http on the class path');
    }
    const params = { method: opts.method || 'GET' };
    if (opts.body !== undefined && opts.body !== null) params.body = String(opts.body);
    if (opts.headers) {
      const h = {};
      for (const k of Object.keys(opts.headers)) h[k] = String(opts.headers[k]);
      params.headers = h;
    }
    const session = http.new();
    const r = await http.request_uri(session, String(url), params);
    const headers = r.headers || {}; // one entry per name, a list where the name came more than once
    const body = r.body === undefined || r.body === null ? '' : r.body;
    return {
      status: r.status,
      statusText: r.reason || '',
      ok: r.status >= 200 && r.status < 300,
      url: String(url),
      headers: {
        get(name) {
          const n = String(name).toLowerCase();
          const key = Object.keys(headers).find((k) => k.toLowerCase() === n);
          if (key === undefined) return null;
          const v = headers[key];
          return Array.isArray(v) ? v.join(', ') : String(v);
        },
        has(name) {
          return this.get(name) !== null;
        },
      },
      text: async () => body,
      json: async () => JSON.parse(body),
    };
  };

  function njsRequest(h) {
    const r = {
      return: (status, body) => h.do_return(status, body),
      sendHeader: () => h.send_header(),
      send: (...parts) => h.send(...parts),
      finish: () => h.finish(),
      sendBuffer: (data, flags) => h.send_buffer(data, !!(flags && flags.last)),
      log: (...m) => h.log(ngx.INFO, m.join('')),
      warn: (...m) => h.log(ngx.WARN, m.join('')),
      error: (...m) => h.log(ngx.ERR, m.join('')),
      headersIn: h.headers_in(),
      headersOut: h.headers_out(),
      variables: h.variables(),
    };
    Object.defineProperty(r, 'status', { get: () => h.status(), set: (v) => h.set_status(v), enumerable: true });
    Object.defineProperty(r, 'uri', { get: () => h.uri(), enumerable: true });
    Object.defineProperty(r, 'method', { get: () => h.method(), enumerable: true });
    Object.defineProperty(r, 'remoteAddress', { get: () => h.remote_address(), enumerable: true });
    Object.defineProperty(r, 'httpVersion', { get: () => h.http_version(), enumerable: true });
    Object.defineProperty(r, 'args', { get: () => h.args(), enumerable: true });
    Object.defineProperty(r, 'requestText', { get: () => h.request_text(), enumerable: true });
    return r;
  }

  return { ngx: ngx, os: os, require: require, njsRequest: njsRequest };
})
