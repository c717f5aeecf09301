-- wrk calls done() once the run ends: print its summary as one JSON line for run-load.ts
-- (latencies in µs; errors.status counts answers ≥ 400).
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\nWRK_SUMMARY {"requests":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d,"maxUs":%d,' ..
      '"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
