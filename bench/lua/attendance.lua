-- POST /api/v1/trainings/sessions/<id>/check-ins: every request a different trainee, checking in
-- with their own API token and the token of the session's QR code. Tokens are split between
-- threads as in registration.lua (thread t of T takes t, t+T, t+2T…), never used twice.
local bench = require("common")

local threads = tonumber(bench.param("threads"))
local path = "/api/v1/trainings/sessions/" .. bench.param("session_id") .. "/check-ins"
local body = '{"token": "' .. bench.param("qr_token") .. '"}'
local file = bench.param("tokens_dir") .. "/tokens-" .. bench.param("run") .. ".txt"

local tokens = nil
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
   return wrk.format("POST", path, headers, body)
end
