/**
 * The first key of guanxi's two-key advisory locks (`pg_advisory_lock(int, int)`),
 * one per use, so that they never meet each other's locks nor, most likely,
 * another application's on the same database.
 */
export const lockSpace = {
  /** Second key 0: the schema migration at start. */
  migrations: 0x6775_0001,
  /** Second key `hashtext(job name)`: one run of a scheduled job at a time. */
  jobs: 0x6775_0002,
  /** Second key `hashtext(domain)`: one change at a time to a domain's suggestion. */
  suggestions: 0x6775_0003,
} as const;
