/**
 * @module services/integrations/runtime
 * The integration settings the outbound destinations use. The Destination
 * contract (services/outbound/types.ts) passes only the pool to `deliver`, so
 * the process that builds the gateway or the worker installs its parsed
 * settings here once (`useIntegrationSettings`); a process that never does
 * (a standalone worker built before this existed) falls back to parsing its
 * environment once, which yields the same values its own `loadConfig` would.
 * Must not import: gateway, Temporal.
 */
import { loadIntegrationSettings, type IntegrationSettings } from './config.js';

let current: IntegrationSettings | undefined;

/** Install the settings of this process (entry points and test stacks). */
export function useIntegrationSettings(settings: IntegrationSettings): void {
  current = settings;
}

/** The settings installed by the entry point, else those of this process's environment. */
export function integrationSettings(): IntegrationSettings {
  current ??= loadIntegrationSettings(process.env);
  return current;
}
