import { randomBytes } from 'node:crypto';

/** A unique customer for one test (the database is shared by the whole run). */
export function newCustomer(label: string): { name: string; email: string; password: string } {
  const id = randomBytes(4).toString('hex');
  return { name: `Camille ${label}`, email: `camille.${label}.${id}@exemple.fr`, password: `Douceur-des-pivoines-${id}` };
}

/** A French delivery address, with the phone carriers ask for. */
export const ADDRESS = { line1: '12 rue des Lilas', postalCode: '69003', city: 'Lyon', phone: '06 12 34 56 78' };
