// The measuring loop shared by the Node benchmarks: every case runs in short timed slices,
// rounds interleave the cases (in a fresh shuffled order each round) so that load from other
// processes on the machine falls on every case alike, and the reported figure is the median
// of the rounds. Async cases are awaited one at a time (sequential throughput, as a request
// handler sees it).
// `clock: "cpu"` divides by the process's CPU time (process.cpuUsage: every thread of the
// process, so WebCrypto's thread-pool work and V8's background compiles count) instead of the
// wall clock: on a machine shared with other work, a slice during which the process waited for
// a core then counts what it did, not how long it waited. Async cases (jose's WebCrypto) keep
// the wall clock: their cost includes waiting for the thread pool, which CPU time would hide.

/** Runs `c.fn` for about `ms` milliseconds in batches; returns operations per second. */
export async function slice(c, ms, clock = "wall") {
  const batch = c.batch;
  let ops = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  let now = start;
  if (c.async) {
    while (now - start < ms) {
      for (let i = 0; i < batch; i++) await c.fn();
      ops += batch;
      now = performance.now();
    }
  } else {
    const fn = c.fn;
    while (now - start < ms) {
      for (let i = 0; i < batch; i++) fn();
      ops += batch;
      now = performance.now();
    }
  }
  if (clock === "cpu" && !c.async) {
    const cpu = process.cpuUsage(cpu0);
    return (ops * 1e6) / Math.max(cpu.user + cpu.system, 1);
  }
  return (ops * 1000) / (now - start);
}

/** Picks a batch size so one batch takes about a millisecond, after a warm-up. */
export async function calibrate(c) {
  c.batch = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < c.batch; i++) c.async ? await c.fn() : c.fn();
    const dt = performance.now() - t0;
    if (dt >= 1 || c.batch >= 1 << 16) break;
    c.batch *= 2;
  }
  await slice(c, 50);
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function shuffle(list) {
  const a = [...list];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/**
 * Measures every case over `rounds` interleaved rounds of `sliceMs` each; returns the cases
 * with `opsPerSec` (the median) and `samples`.
 */
export async function run(cases, { rounds = 7, sliceMs = 120, onRound, clock = "wall" } = {}) {
  for (const c of cases) {
    await calibrate(c);
    c.samples = [];
  }
  for (let r = 0; r < rounds; r++) {
    for (const c of shuffle(cases)) c.samples.push(await slice(c, sliceMs, clock));
    if (onRound) onRound(r + 1, rounds);
  }
  for (const c of cases) c.opsPerSec = median(c.samples);
  return cases;
}
