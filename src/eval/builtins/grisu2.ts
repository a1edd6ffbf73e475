/**
 * The decimal digits of a double as Nix's JSON writer (the nlohmann library)
 * chooses them: the Grisu2 algorithm (Loitsch, "Printing Floating-Point
 * Numbers Quickly and Accurately with Integers"). Its digits round-trip, like
 * JavaScript's, but are not always the shortest: for about one double in 150
 * Grisu2 writes one digit more (-116.12066989062821, where JavaScript writes
 * -116.1206698906282). toJSON output ends up in derivations, so the digits
 * must be Nix's exactly.
 *
 * The 64-bit unsigned arithmetic of the original is done on bigints, masked
 * where C++ would wrap; floats are rare in Nix, so speed does not matter here.
 */

const MASK64 = (1n << 64n) - 1n;

interface DiyFp { f: bigint; e: number }

function sub(x: DiyFp, y: DiyFp): DiyFp {
  return { f: x.f - y.f, e: x.e };
}

/** The upper 64 bits of the 128-bit product, rounded, as Grisu's diy_fp multiplication. */
function mul(x: DiyFp, y: DiyFp): DiyFp {
  const M32 = 0xffffffffn;
  const uLo = x.f & M32, uHi = x.f >> 32n, vLo = y.f & M32, vHi = y.f >> 32n;
  const p0 = uLo * vLo, p1 = uLo * vHi, p2 = uHi * vLo, p3 = uHi * vHi;
  let q = (p0 >> 32n) + (p1 & M32) + (p2 & M32);
  q += 1n << 31n;
  const h = p3 + (p2 >> 32n) + (p1 >> 32n) + (q >> 32n);
  return { f: h & MASK64, e: x.e + y.e + 64 };
}

function normalize(x: DiyFp): DiyFp {
  let { f, e } = x;
  while ((f >> 63n) === 0n) {
    f <<= 1n;
    e--;
  }
  return { f, e };
}

function normalizeTo(x: DiyFp, e: number): DiyFp {
  return { f: (x.f << BigInt(x.e - e)) & MASK64, e };
}

/** The double and the halfway points to its neighbours, normalised. */
function boundaries(value: number): { w: DiyFp; minus: DiyFp; plus: DiyFp } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const E = Number(bits >> 52n);
  const F = bits & ((1n << 52n) - 1n);
  const bias = 1075;
  const v: DiyFp = E === 0 ? { f: F, e: 1 - bias } : { f: F + (1n << 52n), e: E - bias };
  const lowerCloser = F === 0n && E > 1;
  const mPlus: DiyFp = { f: 2n * v.f + 1n, e: v.e - 1 };
  const mMinus: DiyFp = lowerCloser ? { f: 4n * v.f - 1n, e: v.e - 2 } : { f: 2n * v.f - 1n, e: v.e - 1 };
  const plus = normalize(mPlus);
  return { w: normalize(v), minus: normalizeTo(mMinus, plus.e), plus };
}

interface CachedPower { f: bigint; e: number; k: number }

const MIN_DEC_EXP = -300;
const DEC_STEP = 8;

/**
 * 10^k for k = -300, -292, ..., 324 as normalised 64-bit significands,
 * rounded to nearest. Computed on first use: it took a millisecond of every
 * run's start, most of which print no float.
 */
let cachedPowers: CachedPower[] | undefined;

function computeCachedPowers(): CachedPower[] {
  const out: CachedPower[] = [];
  for (let k = MIN_DEC_EXP; k <= 324; k += DEC_STEP) {
    // Find e with 2^63 <= 10^k / 2^e < 2^64.
    const num = k >= 0 ? 10n ** BigInt(k) : 1n;
    const den = k >= 0 ? 1n : 10n ** BigInt(-k);
    const bitsNum = num.toString(2).length;
    const bitsDen = den.toString(2).length;
    let e = bitsNum - bitsDen - 64;
    for (;;) {
      const scaledNum = e >= 0 ? num : num << BigInt(-e);
      const scaledDen = e >= 0 ? den << BigInt(e) : den;
      const q = scaledNum / scaledDen;
      if (q >= 1n << 64n) { e++; continue; }
      if (q < 1n << 63n) { e--; continue; }
      const r = scaledNum - q * scaledDen;
      let f = q + (2n * r >= scaledDen ? 1n : 0n);
      if (f === 1n << 64n) { f >>= 1n; e++; }
      out.push({ f, e, k });
      break;
    }
  }
  return out;
}

function cachedPowerFor(e: number): CachedPower {
  const alpha = -60;
  const f = alpha - e - 1;
  const k = Math.trunc((f * 78913) / (1 << 18)) + (f > 0 ? 1 : 0);
  const index = Math.trunc((-MIN_DEC_EXP + k + (DEC_STEP - 1)) / DEC_STEP);
  return (cachedPowers ??= computeCachedPowers())[index];
}

function largestPow10(n: bigint): { digits: number; pow10: bigint } {
  let pow10 = 1_000_000_000n;
  for (let digits = 10; digits > 1; digits--) {
    if (n >= pow10) return { digits, pow10 };
    pow10 /= 10n;
  }
  return { digits: 1, pow10: 1n };
}

/** Grisu2: the digits and the decimal exponent (value = digits × 10^exponent). */
export function grisu2(value: number): { digits: string; exponent: number } {
  const { w: v, minus: mMinus, plus: mPlus } = boundaries(value);
  const cached = cachedPowerFor(mPlus.e);
  const c: DiyFp = { f: cached.f, e: cached.e };
  const w = mul(v, c);
  const wMinus = mul(mMinus, c);
  const wPlus = mul(mPlus, c);
  const Mminus: DiyFp = { f: wMinus.f + 1n, e: wMinus.e };
  const Mplus: DiyFp = { f: wPlus.f - 1n, e: wPlus.e };
  let exponent = -cached.k;

  let delta = sub(Mplus, Mminus).f;
  let dist = sub(Mplus, w).f;
  const shift = BigInt(-Mplus.e);
  const one = 1n << shift;
  let p1 = Mplus.f >> shift;
  let p2 = Mplus.f & (one - 1n);
  const buf: number[] = [];
  const round = (rest: bigint, tenK: bigint) => {
    while (rest < dist && delta - rest >= tenK && (rest + tenK < dist || dist - rest > rest + tenK - dist)) {
      buf[buf.length - 1]--;
      rest += tenK;
    }
  };
  let { digits: n, pow10 } = largestPow10(p1);
  while (n > 0) {
    const d = p1 / pow10;
    p1 %= pow10;
    buf.push(Number(d));
    n--;
    const rest = (p1 << shift) + p2;
    if (rest <= delta) {
      exponent += n;
      round(rest, pow10 << shift);
      return { digits: buf.join(''), exponent };
    }
    pow10 /= 10n;
  }
  let m = 0;
  for (;;) {
    p2 *= 10n;
    const d = p2 >> shift;
    p2 &= one - 1n;
    buf.push(Number(d));
    m++;
    delta *= 10n;
    dist *= 10n;
    if (p2 <= delta) break;
  }
  exponent -= m;
  round(p2, one);
  return { digits: buf.join(''), exponent };
}
