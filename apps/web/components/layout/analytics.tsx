import { PLAUSIBLE_DOMAIN, PLAUSIBLE_SCRIPT_URL } from '../../lib/config';

/** Plausible analytics (no cookies, no personal data), only when PLAUSIBLE_DOMAIN is set. */
export function Analytics() {
  if (!PLAUSIBLE_DOMAIN) return null;
  return <script defer data-domain={PLAUSIBLE_DOMAIN} src={PLAUSIBLE_SCRIPT_URL} />;
}
