import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { extensions, organizations } from '../../../db/schema/index.ts';
import type { SnapshotReader } from '../../../publish/reader.ts';
import { NOT_FOUND_XML, document, param, tag, variable } from './xml.ts';

/** FreeSWITCH expands this per call: the registered contact of the dialled user in its domain. */
const DIAL_STRING =
  '{^^:sip_invite_domain=${dialed_domain}:presence_id=${dialed_user}@${dialed_domain}}${sofia_contact(*/${dialed_user}@${dialed_domain})}';

/**
 * One SIP user for mod_sofia (registration auth, user/<ext>@<domain> dialling). Passwords come
 * from the extensions table (they never enter snapshots), but only for extensions that are in
 * the org's latest published snapshot and enabled now — disabling takes effect at once.
 */
export function directoryXml(db: Db, reader: SnapshotReader, user: string, domain: string): string {
  if (!/^\d{4}$/.test(user) || domain === '') return NOT_FOUND_XML;
  const org = db.select({ id: organizations.id }).from(organizations).where(eq(organizations.sipDomain, domain.toLowerCase())).get();
  if (!org) return NOT_FOUND_XML;
  const published = reader.latest(org.id);
  if (!published?.extensions[user]) return NOT_FOUND_XML;
  const ext = db.select().from(extensions).where(and(eq(extensions.orgId, org.id), eq(extensions.number, user))).get();
  if (!ext || !ext.enabled) return NOT_FOUND_XML;

  const userXml = tag(
    'user',
    { id: ext.number },
    tag('params', {}, param('password', ext.sipPassword) + param('vm-password', ext.sipPassword)) +
      tag('variables', {},
        variable('user_context', 'default') +
        variable('effective_caller_id_name', ext.name) +
        variable('effective_caller_id_number', ext.number) +
        variable('org_id', org.id)),
  );
  return document(
    tag('section', { name: 'directory' },
      tag('domain', { name: domain.toLowerCase() },
        tag('params', {}, param('dial-string', DIAL_STRING)) +
        tag('groups', {}, tag('group', { name: 'default' }, tag('users', {}, userXml))))),
  );
}
