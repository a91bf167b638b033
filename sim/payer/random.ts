/**
 * Seeded pseudo-random numbers for reproducible emulator ids (authorization numbers, EFT traces). A 32-bit xorshift
 * (Marsaglia 2003, shifts 13/17/5): small, fast and deterministic; not for anything secret.
 */
export function seededRandom(seed: number): () => number {
  // xorshift has one fixed point, 0: mix the seed so seed 0 still moves.
  let state = (Math.imul(seed >>> 0, 2654435761) ^ 0x9e3779b9) >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
}
