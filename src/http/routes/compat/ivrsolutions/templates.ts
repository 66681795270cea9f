/** Text-to-speech templates: create, check, list. */
import { z } from '@hono/zod-openapi';
import { createTemplate, findTemplate, listTemplates, type TemplateRow } from '../../../../services/tts-templates/template-service.ts';
import { f, type vendorRouter } from './kit.ts';

type Router = ReturnType<typeof vendorRouter>;

const Template = z.object({
  id: z.string(), template_name: z.string(), text_content: z.string(),
  status: z.string().openapi({ description: '`ready` (it can be spoken), or `error` when the last render failed' }),
});
const toVendor = (t: TemplateRow) => ({ id: t.id, template_name: t.name, text_content: t.text, status: t.status });

export function templateRoutes(r: Router): void {
  r.route({
    methods: ['post'], path: '/api/create_text_template', source: 'named', permission: 'template.write', style: 'bool',
    input: z.strictObject({
      template_name: f.text(64).openapi({ example: 'api_order_confirm' }),
      text_content: f.text(5000).openapi({ description: 'The text; {{1}}, {{2}}… (or {{name}}) are filled when a call speaks it', example: 'Press 1 to confirm your order.' }),
    }),
    output: z.object({ message: z.string(), template_id: z.string() }),
    summary: 'Create a text template (usable at once: Switchboard has no approval step)',
    handle: async (c, b) => {
      const { adb, config } = c.get('deps');
      const row = await createTemplate(adb, c.get('principal').orgId, { name: b.template_name, text: b.text_content }, config.TTS_TEMPLATE_LANGUAGE);
      return { message: 'Template created successfully', template_id: row.id };
    },
  });
  r.route({
    methods: ['get', 'post'], path: '/api/text_template_status', source: 'named', permission: 'template.read', style: 'bool',
    input: z.strictObject({ template_name: f.text(64) }), output: z.object({ data: Template }), summary: 'A text template and whether it can be spoken',
    handle: async (c, b) => ({ data: toVendor(await findTemplate(c.get('deps').adb, c.get('principal').orgId, b.template_name)) }),
  });
  r.route({
    methods: ['get', 'post'], path: '/api/get_text_templates', source: 'named', permission: 'template.read', style: 'bool', input: z.strictObject({}),
    output: z.object({ data: z.array(Template) }), summary: 'Text templates by name',
    handle: async (c) => ({ data: (await listTemplates(c.get('deps').adb, c.get('principal').orgId)).map(toVendor) }),
  });
}
