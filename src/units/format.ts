// Human-readable figures for renderers: binary sizes, adaptive durations, counts.

const SIZE_STEPS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** 104857600 -> "100 MiB"; three significant digits, binary units. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  let step = 0;
  while (value >= 1024 && step < SIZE_STEPS.length - 1) {
    value /= 1024;
    step += 1;
  }
  return `${sign}${step === 0 ? value.toFixed(0) : significant(value)} ${SIZE_STEPS[step]}`;
}

/** 1234.5 -> "1.23 s", 87 -> "87.0 ms", 0.42 -> "420 µs", 125000 -> "2.08 min". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const abs = Math.abs(ms);
  if (abs === 0) return '0 ms';
  if (abs < 1) return `${significant(ms * 1000)} µs`;
  if (abs < 1000) return `${significant(ms)} ms`;
  if (abs < 60_000) return `${significant(ms / 1000)} s`;
  return `${significant(ms / 60_000)} min`;
}

/** 125000000 -> "125 MB/s": decimal, as disk and network rates are quoted. */
export function formatRate(bytesPerSec: number): string {
  if (!Number.isFinite(bytesPerSec)) return String(bytesPerSec);
  const steps = ['B/s', 'kB/s', 'MB/s', 'GB/s', 'TB/s'];
  let value = bytesPerSec;
  let step = 0;
  while (Math.abs(value) >= 1000 && step < steps.length - 1) {
    value /= 1000;
    step += 1;
  }
  return `${step === 0 ? value.toFixed(0) : significant(value)} ${steps[step]}`;
}

/** 1234567 -> "1,234,567". */
export function formatCount(count: number): string {
  return Number.isFinite(count) ? Math.round(count).toLocaleString('en-US') : String(count);
}

/** 0.1234 -> "+12.3%"; signed, one decimal. */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return fraction > 0 ? '+inf%' : fraction < 0 ? '-inf%' : 'n/a';
  const pct = fraction * 100;
  return `${pct > 0 ? '+' : ''}${pct.toFixed(1)}%`;
}

/** 3 significant digits without exponent notation: 1.23, 12.3, 123. */
function significant(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}
