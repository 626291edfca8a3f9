-- wrk script for openmor's bench (bench/run.ts writes the bodies file and passes it after `--`).
-- Each request is a POST with one of the precomputed form bodies (one per line of the file, e.g.
-- "u=admin&username=bench_user_42&hash=<sha1>"), picked at random. done() prints one JSON line
-- prefixed with WRK_JSON that run.ts parses.

local requests = {}
local count = 0
local threads = 0

-- Runs in the main Lua state once per thread: gives each thread its own random seed.
function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

function init(args)
  local path = args[1]
  if path == nil then error("usage: wrk ... -s wrk.lua <url> -- <bodies file>") end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  for line in io.lines(path) do
    if #line > 0 then
      count = count + 1
      requests[count] = wrk.format(nil, nil, nil, line)
    end
  end
  if count == 0 then error("no request bodies in " .. path) end
  math.randomseed(os.time() * 1000 + (thread_id or 0))
end

function request()
  return requests[math.random(count)]
end

function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"mean":%.1f,"p50":%d,"p90":%d,"p99":%d,"max":%d}}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
