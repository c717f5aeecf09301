// One shared formatter: building Intl.NumberFormat is comparatively costly and
// a product grid formats dozens of prices per render.
const eurFormatter = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });

/**
 * Formats integer euro cents for French shoppers: 1290 → "12,90 €".
 * Note: fr-FR (Node/ICU CLDR) puts a no-break space U+00A0 before "€" and a narrow
 * no-break space U+202F between thousands ("1 290,00 €"), so compare with those.
 */
export function formatPrice(cents: number): string {
  // Cents are integers by contract; dividing only at display time keeps all
  // arithmetic elsewhere exact.
  return eurFormatter.format(cents / 100);
}
