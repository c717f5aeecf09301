import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';

/** Builds the OpenAPI 3.1 document once from the modules' registrations. */
export function buildOpenApiDocument(register: ((registry: OpenAPIRegistry) => void)[]): string {
  const registry = new OpenAPIRegistry();
  for (const add of register) add(registry);
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'GirlyCrea API', version: '1.0.0', description: 'API REST de la boutique GirlyCrea.' },
  });
  return JSON.stringify(document);
}
