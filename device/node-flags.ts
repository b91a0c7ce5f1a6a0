/**
 * V8 flags the daemon runs with (`npm start`, the systemd unit, the benchmarks). Measured with
 * `npm run bench` over 1000 checkouts: a 1 MB young generation instead of 16 MB, size over speed, and
 * no optimising compiler keep the daemon's RSS in the low 70s of MB instead of 120 MB, with scan-to-push
 * p99 going down (no optimise/deoptimise pauses), since the kiosk's work is tiny and latency-bound.
 */
export const DAEMON_NODE_FLAGS = ['--max-semi-space-size=1', '--optimize-for-size', '--no-opt'] as const;
