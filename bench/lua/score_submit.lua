-- POST /api/v1/scoring/panels/<panel>/sheets/<sheet>/marks: judges entering their sheets, one
-- screen per request (one contestant, one criterion: five marks, each with its own client id).
-- judges.txt has a line per judge: "panel sheet token c1,c2,… a1,a2,a3,a4,a5;a6,…" (the
-- contestants of their event, the aspects of each criterion). Request g of the run (g counted
-- across threads: counter × threads + thread) goes to judge g mod J, at that judge's screen
-- g div J (contestant, then criterion), plus `offset` screens in the measured run, so that it
-- enters new marks instead of rewriting the warm-up's.
local bench = require("common")

local threads = tonumber(bench.param("threads"))
local offset = bench.param("run") == "measure" and tonumber(bench.param("offset")) or 0
local judges = nil
local counter = 0

local function split(text, separator)
   local parts = {}
   for part in string.gmatch(text, "[^" .. separator .. "]+") do
      table.insert(parts, part)
   end
   return parts
end

local function load()
   local found = {}
   for line in io.lines(bench.param("tokens_dir") .. "/judges.txt") do
      local fields = split(line, " ")
      local criteria = {}
      for _, criterion in ipairs(split(fields[5], ";")) do
         table.insert(criteria, split(criterion, ","))
      end
      table.insert(found, { panel = fields[1], sheet = fields[2], token = fields[3],
                            contestants = split(fields[4], ","), criteria = criteria })
   end
   return found
end

function request()
   judges = judges or load()
   local g = counter * threads + (thread_id - 1)
   counter = counter + 1
   local judge = judges[g % #judges + 1]
   local screen = math.floor(g / #judges) + offset
   local contestant = judge.contestants[math.floor(screen / #judge.criteria) % #judge.contestants + 1]
   local criterion = judge.criteria[screen % #judge.criteria + 1]
   local marks, id = {}, bench.next_id()
   for n, aspect in ipairs(criterion) do
      table.insert(marks, string.format(
         '{"client_id": "%s-%d", "registration_id": %s, "aspect_id": %s, "value": "%s"}',
         id, n, contestant, aspect, tostring((g + n) % 21 / 2)))
   end
   local path = "/api/v1/scoring/panels/" .. judge.panel .. "/sheets/" .. judge.sheet .. "/marks"
   local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. judge.token }
   return wrk.format("POST", path, headers, '{"marks": [' .. table.concat(marks, ", ") .. ']}')
end
