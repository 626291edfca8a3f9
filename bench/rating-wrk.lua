-- wrk script of bench/rating.ts: rate_get with by_full_dst=1 on random numbers that exist in the
-- tariff ("<prefix><6 random digits>", prefix in base … base+size-1), in one request style.
-- Arguments after `--`: username, hash (sha1(username + key): constant per user), tariff size,
-- first prefix, style: form | query (POST, no body, no Content-Length) | query0 (POST, Content-Length: 0)
-- | json | multipart | get. Each thread cycles through 20,000 prebuilt requests (see request()).
local user, hash, size, base, style
local threads = 0
local BOUNDARY = "openmorBenchBoundary"
local COUNT = 20000
local requests, at = {}, 0
local build

function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

function init(args)
  user, hash, size, base, style = args[1], args[2], tonumber(args[3]), tonumber(args[4]), args[5] or "form"
  math.randomseed(os.time() * 1000 + (thread_id or 0))
  for i = 1, COUNT do requests[i] = build() end
end

local function part(name, value)
  return "--" .. BOUNDARY .. "\r\nContent-Disposition: form-data; name=\"" .. name .. "\"\r\n\r\n" .. value .. "\r\n"
end

function build()
  local number = tostring(base + math.random(0, size - 1)) .. string.format("%06d", math.random(0, 999999))
  local path = "/billing/api/rate_get"
  if style == "form" then
    local body = "u=admin&username=" .. user .. "&prefix=" .. number .. "&by_full_dst=1&hash=" .. hash
    return wrk.format("POST", path, { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
  elseif style == "json" then
    local body = '{"u":"admin","username":"' .. user .. '","prefix":"' .. number .. '","by_full_dst":"1","hash":"' .. hash .. '"}'
    return wrk.format("POST", path, { ["Content-Type"] = "application/json" }, body)
  elseif style == "multipart" then
    local body = part("u", "admin") .. part("username", user) .. part("prefix", number) .. part("by_full_dst", "1")
      .. part("hash", hash) .. "--" .. BOUNDARY .. "--\r\n"
    return wrk.format("POST", path, { ["Content-Type"] = "multipart/form-data; boundary=" .. BOUNDARY }, body)
  end
  local query = path .. "?u=admin&username=" .. user .. "&prefix=" .. number .. "&by_full_dst=1&hash=" .. hash
  if style == "get" then return wrk.format("GET", query, {}, nil) end
  if style == "query0" then return wrk.format("POST", query, { ["Content-Length"] = "0" }, nil) end
  return wrk.format("POST", query, {}, nil)
end

-- Requests are built once per thread (COUNT random numbers) and then cycled: building a multipart body
-- in Lua costs wrk several times a form body, and wrk shares the 2 CPUs with the server, so building
-- them during the run would measure the client. The bare server's bench does the same (wrk.lua).

function request()
  at = at % COUNT + 1
  return requests[at]
end

function done(summary, latency, _)
  io.write(string.format('WRK_JSON {"requests":%d,"duration_us":%d,"non2xx":%d,"p50":%d,"p99":%d}\n',
    summary.requests, summary.duration, summary.errors.status, latency:percentile(50), latency:percentile(99)))
end
