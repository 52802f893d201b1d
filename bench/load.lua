-- The load generator: wrk drives one scenario against a running Leadbook.
--
--   wrk -t1 -c16 -d10s -s bench/load.lua http://127.0.0.1:8000 -- <scenario> <token> <first> <last> [<counter>]
--
-- Scenarios: noop, show, list, create, update, win, intake (see bench/README.md). The fill makes
-- leads numbered <first> to <last> and every lead whose number is 1 modulo 3 In Progress: updates
-- take the even ones (4 modulo 6), wins the odd ones (1 modulo 6), each win a new lead.
-- Prints one JSON line: requests, seconds, errors (non-2xx, socket), server errors (5xx)
-- with the first one's body, p50 and p99 latency.

local API = "/crmapi/rest/v2/leads/"
local JSON = { ["Content-Type"] = "application/json" }

server_errors = 0
first_server_error = ""

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  scenario, token, first, last = args[1], args[2], tonumber(args[3]), tonumber(args[4])
  math.randomseed(7)
  counter = tonumber(args[5] or "0") -- a warm-up's wins start half-way through the leads
end

-- the k-th In Progress lead of residue ``r`` modulo 6 (k from 0), wrapping around
local function open_lead(r, k)
  local base = first + (r - first % 6) % 6
  local count = math.floor((last - base) / 6) + 1
  return base + 6 * (k % count)
end

local function body(fields)
  return '{"token":"' .. token .. '",' .. fields .. ',"fields_set":"number"}'
end

local scenarios = {
  noop = function()
    return wrk.format("GET", "/healthz")
  end,
  show = function()
    local number = math.random(first, last)
    return wrk.format("GET", API .. "show?token=" .. token .. "&lead_identifier=number=" .. number)
  end,
  list = function()
    return wrk.format("GET", API .. "list?token=" .. token
      .. "&type_identifier=name=Software%20Purchase"
      .. "&priority=" .. math.random(1, 6)
      .. "&number_of_results=20&offset=" .. math.random(0, 100))
  end,
  create = function()
    counter = counter + 1
    return wrk.format("POST", API .. "create", JSON, body(
      '"contact_information":{"action":"NEW","type":"PERSON","last_name":"Bench ' .. counter .. '"},'
      .. '"importance":"IMPORTANCE2","priority":3,'
      .. '"type_identifier":{"name":"Software Purchase"},'
      .. '"estimated_completion_time":{"time_period_value":2,"time_period_uot":"WEEKS"},'
      .. '"source":{"type":"WEBSITE","name":"bench"}'))
  end,
  update = function()
    counter = counter + 1
    local number = open_lead(4, math.random(0, last))
    return wrk.format("POST", API .. "update", JSON, body(
      '"lead_identifier":{"number":"' .. number .. '"},"description":"bench ' .. counter .. '"'))
  end,
  -- a web form's submission (``token`` is the form's key; a new person each time)
  intake = function()
    counter = counter + 1
    local who = os.time() .. "-" .. counter
    return wrk.format("POST", "/intake/" .. token, {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Origin"] = "https://bench.example",
    }, "name=Bench+" .. who .. "&mail=bench-" .. who .. "%40x.test&utm_source=bench")
  end,
  win = function()
    local number = open_lead(1, counter)
    counter = counter + 1
    return wrk.format("POST", API .. "win", JSON, body(
      '"lead_identifier":{"number":"' .. number .. '"}'))
  end,
}

function request()
  return scenarios[scenario]()
end

function response(status, headers, body)
  if status >= 500 then
    server_errors = server_errors + 1
    if first_server_error == "" then
      first_server_error = string.sub(body or "", 1, 300)
    end
  end
end

function done(summary, latency, requests)
  local failed, sample = 0, ""
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("server_errors")
    if sample == "" then
      sample = thread:get("first_server_error")
    end
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "errors": %d, "server_errors": %d, '
      .. '"first_server_error": "%s", "p50_ms": %.2f, "p99_ms": %.2f}\n',
    summary.requests, summary.duration / 1e6,
    e.status + e.connect + e.read + e.write + e.timeout, failed,
    (string.gsub(sample, '[%c"\\]', " ")),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
