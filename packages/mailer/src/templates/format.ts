const money = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
const longDate = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' });

/** Formats integer cents as French euros (`1 234,56 €`, with Intl's narrow no-break spaces). */
export function formatMoney(cents: number): string {
  // Division is only for display: amounts are integer cents everywhere else.
  return money.format(cents / 100);
}

/** Formats an ISO instant as a French date in the shop's time zone (`26 novembre 2026`). */
export function formatDate(iso: string): string {
  return longDate.format(new Date(iso));
}
