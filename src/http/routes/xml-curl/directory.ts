import type { DirectoryUser } from '../../../services/xml-curl/xml-curl-service.ts';
import { document, param, tag, variable } from './xml.ts';

/** FreeSWITCH expands this per call: the registered contact of the dialled user in its domain. */
const DIAL_STRING =
  '{^^:sip_invite_domain=${dialed_domain}:presence_id=${dialed_user}@${dialed_domain}}${sofia_contact(*/${dialed_user}@${dialed_domain})}';

/** The directory document of one SIP user (src/services/xml-curl decides who exists). */
export function directoryXml(u: DirectoryUser): string {
  const userXml = tag(
    'user',
    { id: u.number },
    tag('params', {}, param('password', u.sipPassword) + param('vm-password', u.sipPassword)) +
      tag('variables', {},
        variable('user_context', 'default') +
        variable('effective_caller_id_name', u.name) +
        variable('effective_caller_id_number', u.number) +
        variable('org_id', u.orgId)),
  );
  return document(
    tag('section', { name: 'directory' },
      tag('domain', { name: u.domain },
        tag('params', {}, param('dial-string', DIAL_STRING)) +
        tag('groups', {}, tag('group', { name: 'default' }, tag('users', {}, userXml))))),
  );
}
