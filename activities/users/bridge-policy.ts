import type { Config } from '../../adapters/config';

/**
 * Whether onboarding includes the Bridge step: on unless switched off globally, for the
 * user's country, or by the organization (`settings.bridge.enabled: false`).
 */
export function bridgeRequiredFor(
  config: Pick<Config, 'BRIDGE_ENABLED' | 'BRIDGE_SKIP_COUNTRIES'>,
  country: string | null,
  orgSettings: unknown,
): boolean {
  if (!config.BRIDGE_ENABLED) return false;
  if (country && config.BRIDGE_SKIP_COUNTRIES.includes(country.toUpperCase())) return false;
  const bridge = (orgSettings as { bridge?: { enabled?: unknown } } | null)?.bridge;
  return bridge?.enabled !== false;
}
