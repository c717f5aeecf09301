import { timingSafeEqual } from 'node:crypto';
import { revalidatePath, revalidateTag } from 'next/cache';
import { REVALIDATE_SECRET } from '../../lib/config';

const NOT_FOUND = { error: { code: 'not_found', message: 'Ressource introuvable.' } };

function authorised(header: string | null): boolean {
  if (!REVALIDATE_SECRET || !header) return false;
  const expected = Buffer.from(`Bearer ${REVALIDATE_SECRET}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

// Tags of lib/api/catalog.ts: `catalog`, `lists`, `categories`, `product:<slug>`.
const TAG = /^(catalog|lists|categories|product:[a-z0-9]+(-[a-z0-9]+)*)$/;
const MAX_TAGS = 200;

/** The tags of a `{ "tags": [...] }` body, null for another body, undefined for none. */
async function tagsOf(request: Request): Promise<string[] | null | undefined> {
  const text = await request.text();
  if (!text) return undefined;
  try {
    const body = JSON.parse(text) as { tags?: unknown };
    const tags = body.tags;
    if (Array.isArray(tags) && tags.length <= MAX_TAGS && tags.every((tag) => typeof tag === 'string' && tag.length <= 256 && TAG.test(tag))) return tags as string[];
  } catch {
    // answered below
  }
  return null;
}

/**
 * `POST /revalidate` (Authorization: Bearer REVALIDATE_SECRET). Without a body every cached page is
 * rendered again on its next visit: `npm run deploy` calls it once the new release serves, so pages
 * prerendered at build time never outlive the deploy. With `{ "tags": [...] }` (the API, the moment
 * the catalog changes) the data under those tags expires at once, and with it every page built from
 * it: the next visit renders anew rather than being served the stale page. Not public: Nginx answers
 * 404 for this path, and without the secret so does this route.
 */
export async function POST(request: Request): Promise<Response> {
  if (!authorised(request.headers.get('authorization'))) return Response.json(NOT_FOUND, { status: 404 });
  const tags = await tagsOf(request);
  if (tags === null) {
    return Response.json({ error: { code: 'invalid_request', message: 'Corps attendu : { "tags": ["catalog" | "lists" | "categories" | "product:<slug>", …] }.' } }, { status: 400 });
  }
  if (tags === undefined) revalidatePath('/', 'layout');
  else for (const tag of tags) revalidateTag(tag, { expire: 0 });
  return Response.json({ revalidated: true });
}
