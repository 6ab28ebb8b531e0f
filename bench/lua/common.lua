-- Shared by every benchmark script: parameters, distinct request ids, counting
-- responses by status, and the one JSON line that bench/figures.py parses.
--
-- wrk gives each thread its own Lua state (and one more for setup and done),
-- so this module is loaded once per state: `counter` and `status_counts` are
-- per thread, and done() adds them up through thread:get().

local bench = {}

local counter = 0
status_counts = {}

-- A parameter from bench/harness.py, passed as the environment variable
-- JIYI_BENCH_LUA_<NAME>; raises when it is missing and no default is given.
function bench.param(name, default)
   local value = os.getenv("JIYI_BENCH_LUA_" .. string.upper(name)) or default
   if value == nil then
      error("missing parameter " .. name)
   end
   return value
end

-- "<run>-<thread>-<n>": distinct across threads (thread_id is set in setup)
-- and across the warm-up and measured runs, which share one database.
function bench.next_id()
   counter = counter + 1
   return string.format("%s-%d-%d", bench.param("run"), thread_id, counter)
end

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("thread_id", #threads)
end

function response(status, headers, body)
   status_counts[status] = (status_counts[status] or 0) + 1
end

function done(summary, latency, requests)
   local ok_2xx, non_2xx, by_status = 0, 0, {}
   local totals = {}
   for _, thread in ipairs(threads) do
      for status, n in pairs(thread:get("status_counts")) do
         totals[status] = (totals[status] or 0) + n
      end
   end
   for status, n in pairs(totals) do
      if status >= 200 and status < 300 then
         ok_2xx = ok_2xx + n
      else
         non_2xx = non_2xx + n
      end
      table.insert(by_status, string.format('"%d": %d', status, n))
   end
   local e = summary.errors
   io.write(string.format(
      '{"requests": %d, "duration_us": %d, "ok_2xx": %d, "non_2xx": %d, "status_counts": {%s}, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
      .. '"latency_us": {"p50": %d, "p95": %d, "p99": %d, "max": %d}}\n',
      summary.requests, summary.duration, ok_2xx, non_2xx, table.concat(by_status, ", "),
      e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end

return bench
