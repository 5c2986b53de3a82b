-- wrk script for `just bench-http`. Environment:
--   BENCH_MODE   get (fixed path, default) | rotate (BENCH_PATH .. id from BENCH_IDS) |
--                payment (POST BENCH_PATH, default /api/v1/collections/payments, on ids of
--                BENCH_IDS) | post (POST BENCH_PATH with the JSON body BENCH_BODY)
--   BENCH_TOKEN  bearer token (none: no Authorization header)
--   BENCH_PATH   path, or path prefix in rotate mode
--   BENCH_IDS    file of ids, one a line (rotate and payment modes)
--   BENCH_TAG    unique per run, part of every Idempotency-Key
--   BENCH_GZIP   set: GET requests send `Accept-Encoding: gzip` (as browsers do)
-- done() prints one line `BENCH {json}` that bench-http.sh collects.
local mode = os.getenv("BENCH_MODE") or "get"
local token = os.getenv("BENCH_TOKEN")
local path = os.getenv("BENCH_PATH") or "/"
local body = os.getenv("BENCH_BODY") or "{}"
local tag = os.getenv("BENCH_TAG") or tostring(os.time())
local ids = {}
local counter = 0
local next_thread = 0
local threads = {}
-- Per thread: "status=count,..." of the answers that were not 2xx/3xx.
failures = {}

-- Runs in the main Lua state; `thread_no` becomes a global of each thread's own state.
function setup(thread)
  next_thread = next_thread + 1
  thread:set("thread_no", next_thread)
  threads[#threads + 1] = thread
end

function init(args)
  local file = os.getenv("BENCH_IDS")
  if file then
    for line in io.lines(file) do
      if #line > 0 then ids[#ids + 1] = line end
    end
  end
  -- Each thread starts at its own offset so threads do not walk the same ids in step.
  counter = (thread_no or 1) * 7919
  if token then wrk.headers["Authorization"] = "Bearer " .. token end
  wrk.headers["Accept"] = "application/json"
  if os.getenv("BENCH_GZIP") then wrk.headers["Accept-Encoding"] = "gzip" end
end

function request()
  counter = counter + 1
  if mode == "rotate" then
    return wrk.format("GET", path .. ids[counter % #ids + 1])
  elseif mode == "payment" then
    local client = ids[counter % #ids + 1]
    -- wrk.format uses these headers instead of wrk.headers, so they repeat the credentials.
    local headers = {
      ["Authorization"] = wrk.headers["Authorization"],
      ["Content-Type"] = "application/json",
      ["Idempotency-Key"] = tag .. "-" .. thread_no .. "-" .. counter,
    }
    local payment = '{"client_id":"' .. client .. '","amount":100,"method":"cash","reference":"BENCH"}'
    local target = path == "/" and "/api/v1/collections/payments" or path
    return wrk.format("POST", target, headers, payment)
  elseif mode == "post" then
    local headers = {
      ["Authorization"] = wrk.headers["Authorization"],
      ["Content-Type"] = "application/json",
    }
    return wrk.format("POST", path, headers, body)
  end
  return wrk.format("GET", path)
end

function response(status, headers, body)
  if status >= 400 then
    failures[status] = (failures[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("failures")) do
      counts[status] = (counts[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(counts) do parts[#parts + 1] = status .. "x" .. n end
  if #parts > 0 then io.write("FAILED STATUSES " .. table.concat(parts, " ") .. "\n") end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"duration_s":%.3f,"rps":%.1f,"p50_ms":%.3f,"p90_ms":%.3f,' ..
    '"p99_ms":%.3f,"max_ms":%.3f,"non_2xx_3xx":%d,"socket_errors":%d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, e.status,
    e.connect + e.read + e.write + e.timeout))
end
