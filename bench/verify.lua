-- wrk script for bench/verify.sh: GET /v/<public_id> with a random id from a file of existing
-- ids (one per line, written by bench/make_certificates.py), and one machine-readable summary.
-- An optional second argument keeps only the first N ids (0: all): "repeated scans" of a few
-- certificates (a hiring desk), as opposed to first scans across all of them. An optional third
-- argument replaces the path before the id ("/v/"): "/api/v1/certificates/" for the JSON
-- record, "/verify?folio=" with a file of folios for the folio lookup.
--   wrk -t1 -c8 -d15s --latency -s bench/verify.lua http://127.0.0.1:PORT -- bench/out/public_ids.txt [N [PATH]]

local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("thread_number", counter)
end

local ids = {}
local path_before_id = "/v/"

function init(args)
  local path = args[1] or "bench/out/public_ids.txt"
  local keep = tonumber(args[2] or "0")
  path_before_id = args[3] or path_before_id
  for line in io.lines(path) do
    if #line > 0 then ids[#ids + 1] = line end
    if keep > 0 and #ids >= keep then break end
  end
  if #ids == 0 then error("no public ids in " .. path) end
  math.randomseed(os.time() * 1000 + (thread_number or 0))
end

function request()
  return wrk.format("GET", path_before_id .. ids[math.random(#ids)])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d seconds=%.3f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f " ..
    "non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
end
