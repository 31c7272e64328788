-- wrk script: POST /orders with a valid order; prints one machine-readable line at the end:
--   BENCH requests=N seconds=S rps=R p50_ms=.. p90_ms=.. p99_ms=.. max_ms=.. non2xx=N socket_errors=N
-- Status codes are counted per thread in response() and summed in done().
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"customerId":"c-1","currency":"EUR","items":[{"sku":"SKU-1","quantity":2,"unitPrice":9.99}]}'

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   non2xx = 0
   ok = 0
end

function response(status, headers, body)
   if status >= 200 and status < 300 then
      ok = ok + 1
   else
      non2xx = non2xx + 1
   end
end

function done(summary, latency, requests)
   local bad, good = 0, 0
   for _, t in ipairs(threads) do
      bad = bad + t:get("non2xx")
      good = good + t:get("ok")
   end
   local e = summary.errors
   local seconds = summary.duration / 1e6
   io.write(string.format(
      "BENCH requests=%d seconds=%.3f rps=%.1f ok=%d p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f non2xx=%d socket_errors=%d\n",
      summary.requests, seconds, summary.requests / seconds, good,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
      latency.max / 1000, bad, e.connect + e.read + e.write + e.timeout))
end
