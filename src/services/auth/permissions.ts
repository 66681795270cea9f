/**
 * Permissions are "<resource>.<action>" strings. A grant may use "*" for either part:
 * "*" (everything), "ivr.*" (all IVR actions), "*.read" (read anything).
 */
export const RESOURCES = ['ivr', 'did', 'extension', 'queue', 'agent', 'call', 'webhook', 'apikey', 'user', 'callback', 'disposition', 'masking', 'voicemail', 'schedule', 'contact', 'template', 'campaign'] as const;
export type Resource = (typeof RESOURCES)[number];
export type Permission = `${Resource}.${'read' | 'write'}` | 'did.pool';

export type Role = 'admin' | 'member';

export const ROLE_GRANTS: Record<Role, readonly string[]> = {
  admin: ['*'],
  member: ['*.read', 'ivr.*', 'did.write', 'extension.*', 'queue.*', 'agent.*', 'call.*', 'callback.*', 'masking.*', 'voicemail.*', 'schedule.*', 'contact.*', 'template.*', 'campaign.*'],
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

const grantParts = (g: string): [string, string] => (g === '*' ? ['*', '*'] : (g.split('.') as [string, string]));

/**
 * True when `held` allows everything the grant `wanted` allows: some held grant is at least as wide
 * in both parts ("ivr.*" covers "ivr.read"; "ivr.read" does not cover "ivr.*"; only "*" covers "*").
 * For a plain permission this is `grants`; it is what lets a credential hand on, or take away, a grant.
 */
export function coversGrant(held: readonly string[], wanted: string): boolean {
  const [wr, wa] = grantParts(wanted);
  return held.some((h) => {
    const [hr, ha] = grantParts(h);
    return (hr === '*' || hr === wr) && (ha === '*' || ha === wa);
  });
}

/** The first grant in `wanted` that `held` does not cover, or undefined when `wanted` is a subset. */
export function firstUncoveredGrant(held: readonly string[], wanted: readonly string[]): string | undefined {
  return wanted.find((w) => !coversGrant(held, w));
}
