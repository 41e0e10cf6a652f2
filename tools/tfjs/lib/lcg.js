'use strict';
// Deterministic numbers for weights and inputs. A 32-bit LCG (Numerical
// Recipes constants) in integer arithmetic, so every run on every machine
// gives the same bits; each case seeds its own stream from its name, so adding
// a case never changes the numbers of another.

class Lcg {
  constructor(seed) {
    this.state = seed >>> 0;
  }

  // Uniform in [0, 1).
  next() {
    this.state = (Math.imul(1664525, this.state) + 1013904223) >>> 0;
    return this.state / 4294967296;
  }

  // n float32 values uniform in [lo, hi).
  fill(n, lo, hi) {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * this.next();
    return out;
  }
}

// FNV-1a of the case name: the seed of that case's stream.
function seedOf(name) {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h;
}

module.exports = {Lcg, seedOf};
