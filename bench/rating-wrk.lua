-- wrk script of bench/rating.ts: rate_get with by_full_dst=1 on random numbers that exist in the
-- tariff ("<prefix><6 random digits>", prefix in 1000 … 1000+size-1).
-- Arguments after `--`: username, hash (sha1(username + key): constant per user), tariff size.
local user, hash, size
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

function init(args)
  user, hash, size = args[1], args[2], tonumber(args[3])
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  math.randomseed(os.time() * 1000 + (thread_id or 0))
end

function request()
  local number = tostring(1000 + math.random(0, size - 1)) .. string.format("%06d", math.random(0, 999999))
  local body = "u=admin&username=" .. user .. "&prefix=" .. number .. "&by_full_dst=1&hash=" .. hash
  return wrk.format(nil, "/billing/api/rate_get", nil, body)
end

function done(summary, latency, _)
  io.write(string.format('WRK_JSON {"requests":%d,"duration_us":%d,"non2xx":%d,"p50":%d,"p99":%d}\n',
    summary.requests, summary.duration, summary.errors.status, latency:percentile(50), latency:percentile(99)))
end
