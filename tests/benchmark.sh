#!/usr/bin/env bash
# The load benchmark: simulated candidates run whole interviews against a real redis-server started for the run,
# then redis-benchmark measures that server's own ceiling; every figure is printed beside its target.
# Options: --candidates N --judge-ms N --in-flight N (jobs each host's judging worker judges at once, the bot's Judging:MaxInFlight)
#   --hosts 1-3   host processes sharing the Redis (replicas); checks that each answer's feedback is posted exactly once
#   --rss-only    only open --candidates sessions at once (10,000 unless given) and report the host's peak memory
#   --cluster     run everything against a Redis Cluster on loopback (3 primaries, 3 replicas) instead of one server
#   --failover kill|manual   with --cluster: kill -9 a primary serving some candidates (or CLUSTER FAILOVER its replica)
#                 mid-run; reports how long the bot could not write, acknowledged answers lost, retries, doubled feedback
#   --paced-answering N   at most N candidates (default 8) waiting on an answer at once in the paced phase, so job
#                 pickup is measured with cores and places to spare, not only with every place full
# Other modes: `tokens` (LLM prompt tokens per design interview), `judge [--sweep]` (the offline judge's CPU per answer on the eval set;
# --sweep also prints the eval figures at each threshold of matching by meaning).
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in redis-server redis-benchmark redis-cli; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server redis-tools >/dev/null
  fi
done
dotnet run -c Release --project tests/Mockingbird.Benchmarks -- "$@"
