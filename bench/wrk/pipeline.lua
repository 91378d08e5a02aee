-- wrk script for bench/plaintext-load.sh: DEPTH pipelined GET requests per write on each
-- connection, and the latency of each batch (its send to its last response) sampled here,
-- because wrk's own latency figures are unusable with pipelining: wrk corrects them for
-- coordinated omission with an interval computed from requests instead of batches, which
-- buries the real samples under synthetic ones near zero (its printed percentiles read 0).
--
--   wrk -t1 -c256 -d10s -s bench/wrk/pipeline.lua http://127.0.0.1:PORT/plaintext -- [DEPTH [PATH [nolat]]]
--
-- DEPTH defaults to 16, PATH to /plaintext; "nolat" leaves latency out (no response() hook,
-- so wrk parses no headers into Lua: its cheapest path). done() prints one line for scripts:
--   wrk_result requests=N duration_us=N req_s=N errors=N connect_errors=N read_errors=N
--     write_errors=N status_errors=N timeouts=N batches=N lat_mean_us=N p50_us=N p90_us=N
--     p99_us=N p999_us=N max_us=N
--
-- How a batch is matched to its send: wrk's Lua hooks do not say which connection they are for,
-- so each wrk thread keeps the send times of its batches in a queue, and each DEPTH-th response
-- it sees completes the oldest batch. Every connection has exactly one batch in flight, so this
-- is exact with one connection per thread; with more it assumes batches complete in the order
-- they were sent (the servers and wrk serve ready sockets in epoll's FIFO order), which makes
-- each sample approximate, while the mean stays right (a sum of differences does not depend on
-- the pairing). Percentiles are taken from buckets of 1 us below 1 ms, 10 us below 10 ms,
-- 100 us below 100 ms, 1 ms above.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } pipeline_timespec;
int clock_gettime(int clock_id, pipeline_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("pipeline_timespec")

local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) * 1000000 + tonumber(ts.tv_nsec) / 1000
end

local function bucket(us)
  if us < 1000 then
    return math.floor(us)
  elseif us < 10000 then
    return math.floor(us / 10) * 10
  elseif us < 100000 then
    return math.floor(us / 100) * 100
  end
  return math.floor(us / 1000) * 1000
end

-- Per wrk thread (each has its own Lua state); read by done() through thread:get().
hist = {}
batches = 0
latsum = 0
latmax = 0

local depth = 16
local req
local sent, head, tail = {}, 1, 0
local seen = 0
-- wrk calls request() once in thread 1's state before the thread starts, to count the
-- pipelined requests: that call sends nothing and must not enter the queue.
local skip_next_request = false

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_index", #threads)
end

function init(args)
  depth = tonumber(args[1]) or 16
  local path = args[2] or "/plaintext"
  req = string.rep(wrk.format(nil, path), depth)
  skip_next_request = thread_index == 1
  if args[3] == "nolat" then
    response = nil
  end
end

function request()
  if skip_next_request then
    skip_next_request = false
  else
    tail = tail + 1
    sent[tail] = now_us()
  end
  return req
end

function response(status, headers, body)
  seen = seen + 1
  if seen < depth then
    return
  end
  seen = 0
  if head > tail then
    return
  end
  local us = now_us() - sent[head]
  sent[head] = nil
  head = head + 1
  local b = bucket(us)
  hist[b] = (hist[b] or 0) + 1
  batches = batches + 1
  latsum = latsum + us
  if us > latmax then
    latmax = us
  end
end

function done(summary, latency, requests)
  local merged, n, sum, max = {}, 0, 0, 0
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("hist") or {}) do
      merged[k] = (merged[k] or 0) + v
      n = n + v
    end
    sum = sum + (t:get("latsum") or 0)
    max = math.max(max, t:get("latmax") or 0)
  end
  local keys = {}
  for k in pairs(merged) do
    keys[#keys + 1] = k
  end
  table.sort(keys)
  local function pct(q)
    if n == 0 then
      return -1
    end
    local want, acc = q * n, 0
    for _, k in ipairs(keys) do
      acc = acc + merged[k]
      if acc >= want then
        return k
      end
    end
    return keys[#keys]
  end
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  io.write(string.format(
    "wrk_result requests=%d duration_us=%d req_s=%.0f errors=%d connect_errors=%d read_errors=%d"
      .. " write_errors=%d status_errors=%d timeouts=%d batches=%d lat_mean_us=%.1f p50_us=%d p90_us=%d"
      .. " p99_us=%d p999_us=%d max_us=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6), errors,
    e.connect, e.read, e.write, e.status, e.timeout, n, n > 0 and sum / n or -1,
    pct(0.5), pct(0.9), pct(0.99), pct(0.999), n > 0 and math.floor(max) or -1))
end
