import { timingSafeEqual } from 'node:crypto';
import { revalidatePath } from 'next/cache';
import { REVALIDATE_SECRET } from '../../lib/config';

const NOT_FOUND = { error: { code: 'not_found', message: 'Ressource introuvable.' } };

function authorised(header: string | null): boolean {
  if (!REVALIDATE_SECRET || !header) return false;
  const expected = Buffer.from(`Bearer ${REVALIDATE_SECRET}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * `POST /revalidate` (Authorization: Bearer REVALIDATE_SECRET): every cached page is rendered again on
 * its next visit. `npm run deploy` calls it once the new release serves, so pages prerendered at build
 * time (perhaps while the API was unreachable) never outlive the deploy. Not public: Nginx answers 404
 * for this path, and without the secret so does this route.
 */
export async function POST(request: Request): Promise<Response> {
  if (!authorised(request.headers.get('authorization'))) return Response.json(NOT_FOUND, { status: 404 });
  revalidatePath('/', 'layout');
  return Response.json({ revalidated: true });
}
