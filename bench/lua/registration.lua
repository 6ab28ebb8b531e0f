-- POST /api/v1/events/<id>/registrations (or under the `prefix` given): every request a different contestant, registering
-- themself with their own API token. The warm-up and the measured run read separate token files;
-- within one, thread t of T takes tokens t, t+T, t+2T… so that no token is used twice.
local bench = require("common")

local threads = tonumber(bench.param("threads"))
local path = bench.param("prefix", "/api/v1") .. "/events/" .. bench.param("event_id") .. "/registrations"
local file = bench.param("tokens_dir") .. "/tokens-" .. bench.param("run") .. ".txt"

local tokens = nil   -- this thread's share, read on its first request (thread_id is set by then)
local next_token = 0

local function my_tokens()
   if thread_id > threads then
      error(string.format("thread %d of %d: the tokens were split for %d threads", thread_id, threads, threads))
   end
   local mine, index = {}, 0
   for line in io.lines(file) do
      if index % threads == thread_id - 1 then
         table.insert(mine, line)
      end
      index = index + 1
   end
   return mine
end

function request()
   tokens = tokens or my_tokens()
   next_token = next_token + 1
   local token = tokens[next_token]
   if token == nil then
      error("thread " .. thread_id .. " has used all of its " .. #tokens .. " tokens")
   end
   local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }
   return wrk.format("POST", path, headers, "{}")
end
