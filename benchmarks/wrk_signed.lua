-- wrk script for benchmarks/bench_ack.py: replays pre-signed Slack requests.
-- The file named after `--` holds one request per line: timestamp<TAB>signature<TAB>body;
-- without a file, every request is GET /healthz (the baseline). A second argument is a mean
-- think time in ms: each connection then waits a random time (uniform, up to twice the
-- mean) between requests, like a person using Slack, instead of sending the next one at
-- once. Keep twice the mean under the server's keep-alive timeout (gunicorn: 2 s), or the
-- pauses measure reconnections rather than the server.

local requests = {}
local count = 0

local think_ms = 0

function init(args)
  think_ms = tonumber(args[2] or "0")
  math.randomseed(os.time() * 100 + (seed or 0))
  if args[1] == nil or args[1] == "-" then
    requests[1] = wrk.format("GET", "/healthz")
    count = 1
    return
  end
  for line in io.lines(args[1]) do
    local ts, sig, body = line:match("([^\t]+)\t([^\t]+)\t(.*)")
    count = count + 1
    requests[count] = wrk.format("POST", "/slack/events", {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["X-Slack-Request-Timestamp"] = ts,
      ["X-Slack-Signature"] = sig,
    }, body)
  end
end

local next_index = 0

function request()
  next_index = next_index % count + 1
  return requests[next_index]
end

function delay()
  if think_ms == 0 then
    return 0
  end
  return 2 * think_ms * math.random()
end

bad_status = 0
try_again = 0

function response(status, headers, body)
  if status ~= 200 or body:find("went wrong", 1, true) then
    bad_status = bad_status + 1
  elseif body:find("reach my database", 1, true) then
    try_again = try_again + 1
  end
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("seed", #threads)
end

function done(summary, latency, _)
  local bad, polite = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("bad_status")
    polite = polite + thread:get("try_again")
  end
  local errors = summary.errors
  io.write(string.format("RESULT %d %.3f %.3f %.3f %.3f %d %d %d\n",
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    errors.connect + errors.read + errors.write + errors.timeout, bad, polite))
end
