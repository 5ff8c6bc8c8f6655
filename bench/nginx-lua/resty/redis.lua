-- nginx side only: Debian packages lua-resty-redis as lua-nginx-redis, module "nginx.redis".
return require "nginx.redis"
