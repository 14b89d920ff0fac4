-- One wrk scenario: requests come from a prepared file, one request per line, round-robin.
-- Line format (tab-separated): METHOD  PATH  HEADER:VALUE|HEADER:VALUE  BODY
local requests = {}
local counter = 0

local function split(line, sep)
  local out, start = {}, 1
  while true do
    local i = string.find(line, sep, start, true)
    if not i then
      table.insert(out, string.sub(line, start))
      return out
    end
    table.insert(out, string.sub(line, start, i - 1))
    start = i + 1
  end
end

function setup(thread)
  thread:set("offset", math.random(1, 100000))
end

function init(args)
  for line in io.lines(os.getenv("BENCH_REQUESTS")) do
    local f = split(line, "\t")
    local headers = {}
    if f[3] and #f[3] > 0 then
      for _, pair in ipairs(split(f[3], "|")) do
        local colon = string.find(pair, ":", 1, true)
        if colon then headers[string.sub(pair, 1, colon - 1)] = string.sub(pair, colon + 1) end
      end
    end
    table.insert(requests, wrk.format(f[1], f[2], headers, f[4] ~= "" and f[4] or nil))
  end
  counter = offset or 0
end

function request()
  counter = counter + 1
  return requests[(counter % #requests) + 1]
end

function done(summary, latency, requests_)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout + summary.errors.status
  io.stderr:write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "errors": %d, "non_2xx": %d, "p50_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, errors, summary.errors.status,
    latency:percentile(50), latency:percentile(99)))
end
