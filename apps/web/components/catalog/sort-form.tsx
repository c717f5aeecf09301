import { SORTS, type SortValue } from '../../lib/catalog-params';

/**
 * Sort choice as a plain GET form: works without JavaScript and keeps the URL shareable.
 * `hidden` carries the other parameters (the search text); the page goes back to 1.
 */
export function SortForm({ action, sort, hidden = {}, defaultLabel }: { action: string; sort: SortValue | undefined; hidden?: Record<string, string>; defaultLabel?: string }) {
  return (
    <form className="sort-form" action={action} method="get">
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <label htmlFor="tri">Trier par</label>
      <select id="tri" name="tri" defaultValue={sort ?? ''}>
        {defaultLabel && <option value="">{defaultLabel}</option>}
        {SORTS.map((s) => (
          <option key={s.value} value={s.value}>
            {s.label}
          </option>
        ))}
      </select>
      <button type="submit" className="button button--small">
        Trier
      </button>
    </form>
  );
}
