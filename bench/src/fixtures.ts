import pg from 'pg';

/** Catalog data the scenarios draw from, read once after seeding. */
export interface Fixtures {
  /** Slugs of the generated (active) products. */
  slugs: string[];
  /** Distinct French words (4+ letters) of the product titles. */
  words: string[];
  /** Active variants of active products. */
  variantIds: string[];
  /** Category slugs whose product list sorted by price has a page 3 (filled by `findDeepCategories`). */
  deepCategories: string[];
  /** A shipping method id for checkout, when the orders schema has one. */
  shippingMethodId: string | undefined;
}

const GENERATED_SLUG = /-\d+$/;
const WORD = /^\p{L}{4,}$/u;

/** Reads slugs, title vocabulary, variants and a shipping method from the bench database. */
export async function loadFixtures(directUrl: string): Promise<Fixtures> {
  const client = new pg.Client({ connectionString: directUrl });
  await client.connect();
  try {
    const products = await client.query<{ slug: string; title: string }>("SELECT slug, title FROM products WHERE status = 'active'");
    const variants = await client.query<{ id: string }>(
      "SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id WHERE p.status = 'active' AND v.status = 'active'",
    );
    const shipping = await client
      .query<{ id: string }>('SELECT id FROM shipping_methods ORDER BY price_cents LIMIT 1')
      .then((result) => result.rows[0]?.id)
      .catch(() => undefined);
    const words = new Set(products.rows.flatMap((row) => row.title.toLowerCase().split(/\s+/).filter((word) => WORD.test(word))));
    return {
      slugs: products.rows.map((row) => row.slug).filter((slug) => GENERATED_SLUG.test(slug)),
      words: [...words].sort(),
      variantIds: variants.rows.map((row) => row.id),
      deepCategories: [],
      shippingMethodId: shipping,
    };
  } finally {
    await client.end();
  }
}

interface CategoryNode {
  slug: string;
  children: CategoryNode[];
}

/** Category slugs whose price-sorted list has a third page, asked of the API itself. */
export async function findDeepCategories(apiOrigin: string): Promise<string[]> {
  const tree = (await (await fetch(`${apiOrigin}/api/categories`)).json()) as CategoryNode[];
  const flatten = (nodes: CategoryNode[]): string[] => nodes.flatMap((node) => [node.slug, ...flatten(node.children)]);
  const deep: string[] = [];
  for (const slug of flatten(tree)) {
    const page = (await (await fetch(`${apiOrigin}/api/products?category=${slug}&sort=price_asc&page=3`)).json()) as { items?: unknown[] };
    if ((page.items?.length ?? 0) > 0) deep.push(slug);
  }
  return deep;
}

/** A random element. */
export function pick<T>(items: readonly T[]): T {
  const item = items[Math.floor(Math.random() * items.length)];
  if (item === undefined) throw new Error('pick() sur une liste vide');
  return item;
}
