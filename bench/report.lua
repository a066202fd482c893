-- wrk script: after the run, print one machine-readable line that bench/loadgen.py parses.
-- Latencies are in microseconds; status_errors counts responses outside 2xx/3xx.
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "\nBENCH_JSON {\"requests\": %.0f, \"duration_us\": %.0f, \"bytes\": %.0f, " ..
    "\"p50_us\": %.0f, \"p90_us\": %.0f, \"p99_us\": %.0f, \"mean_us\": %.1f, \"max_us\": %.0f, " ..
    "\"connect_errors\": %.0f, \"read_errors\": %.0f, \"write_errors\": %.0f, " ..
    "\"timeouts\": %.0f, \"status_errors\": %.0f}\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max,
    errors.connect, errors.read, errors.write, errors.timeout, errors.status))
end
