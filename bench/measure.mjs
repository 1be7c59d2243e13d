// The measuring loop shared by the Node benchmarks: every case runs in short timed slices,
// rounds interleave the cases (in a fresh shuffled order each round) so that load from other
// processes on the machine falls on every case alike, and the reported figure is the median
// of the rounds. Async cases are awaited one at a time (sequential throughput, as a request
// handler sees it).

/** Runs `c.fn` for about `ms` milliseconds in batches; returns operations per second. */
export async function slice(c, ms) {
  const batch = c.batch;
  let ops = 0;
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
export async function run(cases, { rounds = 7, sliceMs = 120, onRound } = {}) {
  for (const c of cases) {
    await calibrate(c);
    c.samples = [];
  }
  for (let r = 0; r < rounds; r++) {
    for (const c of shuffle(cases)) c.samples.push(await slice(c, sliceMs));
    if (onRound) onRound(r + 1, rounds);
  }
  for (const c of cases) c.opsPerSec = median(c.samples);
  return cases;
}
