import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { isLoopback, remoteAddress, sameSecret } from '../../local-access.ts';
import { ForbiddenError } from '../../../domain/errors.ts';
import { directoryUser, publishedCallcenterConfig } from '../../../services/xml-curl/xml-curl-service.ts';
import { createAsyncSnapshotReader, type AsyncSnapshotReader } from '../../../publish/reader.ts';
import { directoryXml } from './directory.ts';
import { callcenterXml } from './callcenter.ts';
import { NOT_FOUND_XML } from './xml.ts';

/**
 * POST /freeswitch/xml-curl: FreeSWITCH's mod_xml_curl fetches the directory (SIP users) and
 * callcenter.conf here, form-encoded (section, tag_name, key_name, key_value, user, domain,
 * action, Event-Name, ...). Not behind JWT auth: protected by ?token=<XML_CURL_TOKEN> (403 when
 * wrong or missing), or, when no token is configured, by accepting only loopback callers (403 otherwise).
 * callcenter.conf is always the whole document, which satisfies CC-Queue (single-queue) loads too. Everything else it asks
 * for gets the standard "not found" document, so FreeSWITCH falls back to its own files.
 */
export function xmlCurlRoutes() {
  // One reader (and its cache of parsed snapshots) per app: the deps, and so the database, are the app's.
  let reader: AsyncSnapshotReader | undefined;
  return new OpenAPIHono<AppEnv>().post('/freeswitch/xml-curl', async (c) => {
    authorize(c);
    const form = await readFields(c);
    const { adb, now } = c.get('deps');
    const snapshots = (reader ??= createAsyncSnapshotReader(adb));
    const section = form.section ?? '';
    let xml = NOT_FOUND_XML;
    if (section === 'directory') {
      const user = form.user ?? form.sip_auth_username ?? '';
      const domain = form.domain ?? (form.tag_name === 'domain' ? form.key_value : undefined) ?? '';
      // purpose=gateways / network-list (mod_sofia startup): nothing of ours.
      const found = user && !form.purpose ? await directoryUser(adb, snapshots, user, domain, now()) : null;
      if (found) xml = directoryXml(found);
    } else if (section === 'configuration' && form.key_value === 'callcenter.conf') {
      xml = callcenterXml(await publishedCallcenterConfig(snapshots));
    }
    c.get('logger').debug({ section, key: form.key_value, user: form.user, domain: form.domain, found: xml !== NOT_FOUND_XML }, 'xml_curl');
    return c.body(xml, 200, { 'content-type': 'text/xml; charset=utf-8' });
  });
}

function authorize(c: Context<AppEnv>): void {
  const expected = c.get('deps').config.XML_CURL_TOKEN;
  if (expected) {
    const given = c.req.query('token');
    if (!given || !sameSecret(given, expected)) throw new ForbiddenError('Invalid or missing xml_curl token');
    return;
  }
  if (!isLoopback(remoteAddress(c))) {
    throw new ForbiddenError('xml_curl accepts only local requests when XML_CURL_TOKEN is not set');
  }
}

async function readFields(c: Context<AppEnv>): Promise<Record<string, string | undefined>> {
  const out: Record<string, string | undefined> = {};
  const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v;
  return out;
}
