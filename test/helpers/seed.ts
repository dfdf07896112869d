// Reproducible randomness for tests: every random choice comes from a seeded generator whose seed
// is printed, so a failure can be replayed with KSMG_TEST_SEED=<seed> npx vitest run <file>.
import { randomInt } from 'node:crypto';

export interface SeededRandom {
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max). */
  int(min: number, max: number): number;
}

/** mulberry32: small, fast, good enough to pick test inputs. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seededRandom(label: string, env: NodeJS.ProcessEnv = process.env): SeededRandom {
  const given = env.KSMG_TEST_SEED;
  const seed = given !== undefined && /^\d+$/.test(given) ? Number(given) : randomInt(0, 2 ** 31);
  console.log(`${label}: random seed ${seed} (replay with KSMG_TEST_SEED=${seed})`);
  const next = mulberry32(seed);
  return { seed, next, int: (min, max) => min + Math.floor(next() * (max - min)) };
}
