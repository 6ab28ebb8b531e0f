-- GET /api/v1/me (or the `path` given), each request with one of the prepared contestants'
-- API tokens, in turn.
local bench = require("common")

local path = bench.param("path", "/api/v1/me")

local file = bench.param("tokens_dir") .. "/tokens.txt"
local tokens = nil
local next_token = 0

function request()
   if tokens == nil then
      tokens = {}
      for line in io.lines(file) do
         table.insert(tokens, line)
      end
   end
   next_token = next_token % #tokens + 1
   return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. tokens[next_token] })
end
