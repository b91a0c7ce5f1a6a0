/** A configuration that cannot be used; `problems` holds one line per bad key, ready to print. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly string[];

  /** `subject` names the file's owner, e.g. "The webhook relay configuration". */
  constructor(problems: readonly string[], subject = 'The kiosk configuration') {
    super(`${subject} is not usable:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}
