import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../middleware/auth.ts';
import { conflictResponse, errorResponses, jsonBody, jsonContent, security } from '../../schemas.ts';

const RegionSchema = z
  .object({
    id: z.string().openapi({ example: '91-80' }),
    country_code: z.string().openapi({ example: '91' }),
    prefix: z.string().openapi({ example: '80' }),
    name: z.string().openapi({ example: 'Bangalore' }),
    available: z.number().int(),
  })
  .openapi('NumberRegion');

const AvailableSchema = z.object({ number: z.string().openapi({ example: '+918065978001' }), region: z.string(), description: z.string().nullable() }).openapi('AvailableNumber');

const SearchQuery = z.object({
  region: z.string().regex(/^\d{1,3}-\d{1,4}$/, 'a region id from GET /numbers/regions, e.g. "91-80"').optional().openapi({ param: { name: 'region', in: 'query' } }),
  pattern: z.string().regex(/^\+?[0-9*]{1,20}$/, 'digits, with * for any run of digits').optional().openapi({
    param: { name: 'pattern', in: 'query' },
    description: 'Digits with `*` for any run of digits, matched against the whole number with or without its country code (`8065*001`); plain digits match anywhere (`4310`)',
  }),
  limit: z.coerce.number().int().min(1).max(500).default(50).openapi({ param: { name: 'limit', in: 'query' } }),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).openapi({ param: { name: 'offset', in: 'query' } }),
});

const Page = z.object({ numbers: z.array(AvailableSchema), total: z.number().int(), limit: z.number().int(), offset: z.number().int() }).openapi('AvailableNumberPage');

const PurchaseBody = z.object({ number: z.string().min(3).max(32).openapi({ example: '+918065978001', description: 'Any format; normalized to E.164' }) }).openapi('PurchaseNumber');
const Purchased = z.object({ message: z.string(), did: z.object({ id: z.string(), number: z.string() }) }).openapi('PurchasedNumber');

const tags = ['Phone numbers'];
const authErrors = { 401: errorResponses[401], 403: errorResponses[403] };

export const regionsRoute = createRoute({
  method: 'get', path: '/numbers/regions', tags, security, middleware: [requirePermission('did.read')] as const,
  summary: 'Regions with numbers to buy: country code and area prefix of each available number',
  responses: { 200: jsonContent(z.array(RegionSchema), 'Regions by id'), ...authErrors },
});

export const availableRoute = createRoute({
  method: 'get', path: '/numbers/available', tags, security, middleware: [requirePermission('did.read')] as const, request: { query: SearchQuery },
  summary: 'Numbers available to buy, by region and pattern',
  responses: { 200: jsonContent(Page, 'One page; total counts every match'), 400: errorResponses[400], ...authErrors },
});

export const purchaseRoute = createRoute({
  method: 'post', path: '/numbers/purchase', tags, security, middleware: [requirePermission('did.pool')] as const, request: jsonBody(PurchaseBody),
  summary: 'Buy an available number: it becomes one of your DIDs, unrouted (admin)',
  responses: { 201: jsonContent(Purchased, 'Bought'), ...errorResponses, ...conflictResponse },
});
