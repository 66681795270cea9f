/**
 * Permissions are "<resource>.<action>" strings. A grant may use "*" for either part:
 * "*" (everything), "ivr.*" (all IVR actions), "*.read" (read anything).
 */
export const RESOURCES = ['ivr', 'did', 'extension', 'queue', 'agent', 'call', 'webhook', 'apikey', 'user', 'callback', 'disposition', 'masking', 'voicemail'] as const;
export type Resource = (typeof RESOURCES)[number];
export type Permission = `${Resource}.${'read' | 'write'}` | 'did.pool';

export type Role = 'admin' | 'member';

export const ROLE_GRANTS: Record<Role, readonly string[]> = {
  admin: ['*'],
  member: ['*.read', 'ivr.*', 'did.write', 'extension.*', 'queue.*', 'agent.*', 'call.*', 'callback.*', 'masking.*', 'voicemail.*'],
};

const GRANT_RE = /^(\*|[a-z_]+\.(\*|[a-z_]+)|\*\.[a-z_]+)$/;

export function isValidGrant(grant: string): boolean {
  return GRANT_RE.test(grant);
}

export function grants(granted: readonly string[], needed: string): boolean {
  const [res, act] = needed.split('.') as [string, string];
  return granted.some((g) => {
    if (g === '*' || g === needed) return true;
    const [gr, ga] = g.split('.') as [string, string | undefined];
    return (gr === '*' || gr === res) && (ga === '*' || ga === act);
  });
}
