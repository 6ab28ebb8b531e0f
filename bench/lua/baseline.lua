-- POST /insert to bench/baseline_app.py, one distinct ext_id per request.
local bench = require("common")

local headers = { ["Content-Type"] = "application/json" }

function request()
   local body = string.format('{"ext_id": "%s", "payload": "baseline"}', bench.next_id())
   return wrk.format("POST", "/insert", headers, body)
end
