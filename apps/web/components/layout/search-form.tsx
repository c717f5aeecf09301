/** The header search box: a plain GET form to /recherche (works without JavaScript). */
export function SearchForm({ defaultValue = '' }: { defaultValue?: string }) {
  return (
    <form className="search-form" role="search" action="/recherche" method="get">
      <label htmlFor="recherche" className="visually-hidden">
        Rechercher
      </label>
      <input
        id="recherche"
        name="q"
        type="search"
        placeholder="Un chouchou, un bracelet…"
        defaultValue={defaultValue}
        maxLength={200}
        autoComplete="off"
        enterKeyHint="search"
      />
      <button type="submit" className="search-form__button">
        <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20">
          <circle cx="11" cy="11" r="7" fill="none" stroke="currentColor" strokeWidth="2" />
          <path d="m16.5 16.5 4 4" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
        </svg>
        <span className="visually-hidden">Lancer la recherche</span>
      </button>
    </form>
  );
}
