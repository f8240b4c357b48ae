import { ActivityFailures } from '../../domain/failures/catalog';

/**
 * JSON POST to a provider. 4xx (except 408/429) is permanent: retrying the same request cannot
 * succeed. 5xx, 408, 429 and network errors are thrown as retryable for the provider profile.
 */
export async function postProviderJson<T>(
  provider: string,
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    signal: AbortSignal.timeout(20_000),
  });
  const text = await res.text();
  if (res.ok) return JSON.parse(text) as T;
  const message = `${provider} answered ${res.status}`;
  if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
    throw ActivityFailures.create('PERMANENT_PROVIDER_ERROR', message, { provider, status: res.status });
  }
  throw ActivityFailures.create('PROVIDER_UNAVAILABLE', message);
}
