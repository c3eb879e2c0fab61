-- With WRK_PATHS (one path a line), every path in turn: bench/run.py's run at concurrency 16.
local paths = {}
for path in string.gmatch(os.getenv("WRK_PATHS") or "", "[^\n]+") do
  paths[#paths + 1] = path
end
if #paths > 0 then
  local next_path = 0
  request = function()
    next_path = next_path % #paths + 1
    return wrk.format("GET", paths[next_path])
  end
end

-- wrk prints no 95th percentile of its own: write one JSON line with what bench/run.py reads.
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    errors.connect + errors.read + errors.write + errors.status + errors.timeout))
end
