/**
 * @module services/config/config-error
 * The error every configuration loader throws (kept apart so loaders of other
 * services can use it without importing the main config module).
 */

/** Thrown when the environment is invalid; names the offending key and never echoes its value. */
export class ConfigError extends Error {
  constructor(
    readonly key: string,
    detail: string,
  ) {
    super(`Invalid configuration: ${key}: ${detail}`);
    this.name = 'ConfigError';
  }
}
