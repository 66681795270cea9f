import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { ACTION_TYPES, DID_ROUTING_TYPES, FINAL_DESTINATION_TYPES } from '../../../domain/destinations.ts';
import { errorResponses, jsonContent, security } from '../../schemas.ts';

const TypesSchema = z
  .object({
    menu_option: z.array(z.string()).openapi({ description: 'What a menu option may do' }),
    did: z.array(z.string()).openapi({ description: 'Where a phone number may route' }),
    final: z.array(z.string()).openapi({ description: 'Timeout/invalid/fallback destinations, and a schedule\'s open/closed destinations' }),
  })
  .openapi('DestinationTypes');

const route = createRoute({
  method: 'get', path: '/destination-types', tags: ['IVRs'], security,
  summary: 'The destination types each place accepts (the lists the API validates with)',
  responses: { 200: jsonContent(TypesSchema, 'The types'), 401: errorResponses[401] },
});

/** GET /api/v1/destination-types: src/domain/destinations.ts as a client reads it (the console's pickers). */
export function destinationTypeRoutes() {
  return new OpenAPIHono<AppEnv>().openapi(route, (c) =>
    c.json({ menu_option: [...ACTION_TYPES], did: [...DID_ROUTING_TYPES], final: [...FINAL_DESTINATION_TYPES] }, 200),
  );
}
