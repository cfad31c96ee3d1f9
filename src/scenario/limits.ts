// Caps that separate a big scenario from an absurd (or hostile) one. A million instances is fine
// for the model; ten million and one is a typo or an attack. Real backends have their own, lower cap.

const MiB = 1024 ** 2;
const TiB = 1024 ** 4;

/** Every cap on scenario input, in one place so messages, tests and the README agree. */
export const LIMITS = {
  /** A scenario file larger than this is refused before it is read (scenarios are a few KiB). */
  fileBytes: 1 * MiB,
  /** YAML nodes in one file, counted before aliases are expanded (a big scenario has ~2,000). */
  yamlNodes: 20_000,
  /**
   * Characters that can start or separate YAML nodes (newline , : ? - & * ! [ { | >), counted before
   * parsing: the parser spends ~15 µs per node, and 400,000 "? " in 1 MiB exhaust its memory.
   */
  yamlIndicators: 20_000,
  /** Nesting of [ and { before parsing (deeper input overflows the parser's stack). */
  yamlFlowDepth: 64,
  /** Alias expansions while converting the YAML tree (the `yaml` package's guard against alias bombs). */
  yamlAliases: 100,
  /** Instances per service, and over all services of a scenario. */
  instances: 10_000_000,
  concurrency: 10_000_000,
  /** Workers an app may fork after it loads (app.fork.workers). */
  forkWorkers: 100_000,
  /** Any memory figure (app, guest, host). */
  memoryBytes: 64 * TiB,
  /** Any disk figure (layer, image, file, write, host disk): 1 PiB. */
  diskBytes: 1024 * TiB,
  /** Any duration: one day. */
  durationMs: 24 * 60 * 60 * 1000,
  vcpus: 1024,
  /** Hosts in a cluster (`host.count`): each is simulated on its own. */
  hosts: 10_000,
  hostCpus: 4096,
  /** Disk and network rates in MB/s (1 TB/s). */
  rateMBps: 1_000_000,
  nameChars: 64,
  descriptionChars: 2000,
  idChars: 128,
  pathChars: 4096,
  refChars: 255,
} as const;

/** For messages: "64 TiB" rather than 70368744177664. */
export const LIMIT_TEXT = {
  memoryBytes: '64TiB',
  diskBytes: '1024TiB (1 PiB)',
  durationMs: '1 day (1440min)',
} as const;
