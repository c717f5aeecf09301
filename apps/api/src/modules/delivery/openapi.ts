import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { z } from 'zod';
import { ErrorBody, RelayPointList, RelayPointQuery } from '@girlycrea/contract';

const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const error = (description: string) => json(ErrorBody, description);

/** Documents the relay-point search. */
export function registerDeliveryOpenApi(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get', path: '/api/relay-points', summary: 'Points relais proches d’un code postal (Mondial Relay), horaires compris',
    request: { query: RelayPointQuery },
    responses: {
      200: json(RelayPointList, 'Les points, du plus proche au plus lointain (liste vide si aucun)'),
      400: error('Code postal ou pays invalide'),
      404: error('Livraison en point relais non proposée'),
      429: error('Trop de recherches'),
      503: error('Service du transporteur injoignable'),
    },
  });
}
