/** What the portal reads from its own access token, without trusting it for anything but timing. */

const REFRESH_MARGIN_SECONDS = 20;

/** Whether a JWT access token expires within the margin (or cannot be read: then let the request decide). */
export function expiresSoon(accessToken: string | undefined, now: number = Date.now()): boolean {
  const payload = accessToken?.split('.')[1];
  if (!payload) {
    return false;
  }
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
    const exp = (JSON.parse(json) as { exp?: number }).exp;
    return typeof exp === 'number' && exp * 1000 - now < REFRESH_MARGIN_SECONDS * 1000;
  } catch {
    return false;
  }
}
