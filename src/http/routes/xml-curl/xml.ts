/** Tiny XML writer for the documents FreeSWITCH fetches through mod_xml_curl. */

export function escapeXml(value: string | number | boolean): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    // Tab, LF and CR survive attribute normalization only as character references;
    // other control characters are not allowed in XML 1.0 at all.
    .replace(/[\t\n\r]/g, (ch) => `&#${ch.charCodeAt(0)};`)
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, '');
}

/** `<name a="1" b="2"/>` with escaped attribute values. */
export function tag(name: string, attrs: Record<string, string | number | boolean>, children?: string): string {
  const a = Object.entries(attrs).map(([k, v]) => ` ${k}="${escapeXml(v)}"`).join('');
  return children === undefined ? `<${name}${a}/>` : `<${name}${a}>${children}</${name}>`;
}

export const param = (name: string, value: string | number | boolean) => tag('param', { name, value });
export const variable = (name: string, value: string | number | boolean) => tag('variable', { name, value });

export const document = (section: string) => `<document type="freeswitch/xml">${section}</document>`;

/** What mod_xml_curl understands as "nothing here" (it then falls back to its static files). */
export const NOT_FOUND_XML = document('<section name="result"><result status="not found"/></section>');
