/**
 * A small, strict XML 1.0 well-formedness checker and tree builder for the deploy tests.
 * No dependencies: FreeSWITCH and SIPp files must parse here exactly as any conforming parser
 * would accept them (single root, matched tags, quoted and unique attributes, valid
 * references, no "--" inside comments, nothing but markup and white space around the root).
 * DTDs are skipped, not validated; only the five predefined entities and character
 * references are known.
 */

export interface XmlElement {
  type: 'element';
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  line: number;
}

export interface XmlText {
  type: 'text';
  text: string;
  cdata: boolean;
}

export type XmlNode = XmlElement | XmlText;

export class XmlError extends Error {
  override readonly name = 'XmlError';
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} at ${line}:${column}`);
  }
}

const NAME_START = /[A-Za-z_:\u00C0-\uFFFF]/;
const NAME_CHAR = /[-A-Za-z0-9._:\u00B7\u00C0-\uFFFF]/;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function parseXml(source: string): XmlElement {
  return new Parser(source).parseDocument();
}

/** Returns null when well-formed, the error otherwise. */
export function xmlError(source: string): XmlError | null {
  try {
    parseXml(source);
    return null;
  } catch (e) {
    if (e instanceof XmlError) return e;
    throw e;
  }
}

class Parser {
  private pos = 0;

  constructor(private readonly src: string) {
    if (src.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  parseDocument(): XmlElement {
    if (this.src.startsWith('<?xml', this.pos) && /\s/.test(this.src[this.pos + 5] ?? '')) {
      this.parseXmlDecl();
    }
    let root: XmlElement | null = null;
    let seenDoctype = false;
    for (;;) {
      this.skipWhitespace();
      if (this.pos >= this.src.length) break;
      if (this.startsWith('<!--')) this.parseComment();
      else if (this.startsWith('<?')) this.parsePi();
      else if (this.startsWith('<!DOCTYPE')) {
        if (seenDoctype || root) this.fail('DOCTYPE not allowed here');
        seenDoctype = true;
        this.parseDoctype();
      } else if (this.startsWith('<')) {
        if (root) this.fail('more than one root element');
        root = this.parseElement();
      } else this.fail('text outside the root element');
    }
    if (!root) this.fail('no root element');
    return root as XmlElement;
  }

  private parseXmlDecl(): void {
    const end = this.src.indexOf('?>', this.pos);
    if (end < 0) this.fail('unterminated XML declaration');
    const body = this.src.slice(this.pos + 5, end);
    if (!/^\s+version\s*=\s*(["'])1\.[0-9]+\1(\s+encoding\s*=\s*(["'])[A-Za-z][A-Za-z0-9._-]*\3)?(\s+standalone\s*=\s*(["'])(yes|no)\5)?\s*$/.test(body)) {
      this.fail('malformed XML declaration');
    }
    this.pos = end + 2;
  }

  private parseComment(): void {
    const start = this.pos + 4;
    const end = this.src.indexOf('-->', start);
    if (end < 0) this.fail('unterminated comment');
    const body = this.src.slice(start, end);
    const dash = body.indexOf('--');
    if (dash >= 0) this.failAt(start + dash, '"--" inside a comment');
    if (body.endsWith('-')) this.failAt(end - 1, 'comment ends with "--->"');
    this.pos = end + 3;
  }

  private parsePi(): void {
    this.pos += 2;
    const target = this.parseName();
    if (target.toLowerCase() === 'xml') this.fail('XML declaration not at the start of the document');
    const end = this.src.indexOf('?>', this.pos);
    if (end < 0) this.fail('unterminated processing instruction');
    this.pos = end + 2;
  }

  private parseDoctype(): void {
    this.pos += '<!DOCTYPE'.length;
    if (!/\s/.test(this.src[this.pos] ?? '')) this.fail('malformed DOCTYPE');
    let quote: string | null = null;
    let depth = 0;
    while (this.pos < this.src.length) {
      const c = this.src[this.pos]!;
      if (quote) {
        if (c === quote) quote = null;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '[') depth++;
      else if (c === ']') depth--;
      else if (c === '>' && depth === 0) {
        this.pos++;
        return;
      }
      this.pos++;
    }
    this.fail('unterminated DOCTYPE');
  }

  private parseElement(): XmlElement {
    const line = this.lineAt(this.pos);
    this.pos++; // <
    const name = this.parseName();
    const attrs: Record<string, string> = {};
    for (;;) {
      const hadSpace = this.skipWhitespace();
      if (this.startsWith('/>')) {
        this.pos += 2;
        return { type: 'element', name, attrs, children: [], line };
      }
      if (this.startsWith('>')) {
        this.pos++;
        break;
      }
      if (!hadSpace) this.fail(`expected white space, ">" or "/>" in <${name}>`);
      const attrPos = this.pos;
      const attr = this.parseName();
      this.skipWhitespace();
      if (!this.startsWith('=')) this.fail(`attribute ${attr} has no value`);
      this.pos++;
      this.skipWhitespace();
      const value = this.parseAttrValue();
      if (Object.prototype.hasOwnProperty.call(attrs, attr)) this.failAt(attrPos, `duplicate attribute ${attr}`);
      attrs[attr] = value;
    }
    const children: XmlNode[] = [];
    let text = '';
    const flushText = () => {
      if (text) children.push({ type: 'text', text, cdata: false });
      text = '';
    };
    for (;;) {
      if (this.pos >= this.src.length) this.fail(`unclosed element <${name}> opened at line ${line}`);
      if (this.startsWith('</')) {
        flushText();
        this.pos += 2;
        const closing = this.parseName();
        if (closing !== name) this.fail(`</${closing}> does not close <${name}> opened at line ${line}`);
        this.skipWhitespace();
        if (!this.startsWith('>')) this.fail(`malformed end tag </${closing}`);
        this.pos++;
        return { type: 'element', name, attrs, children, line };
      }
      if (this.startsWith('<![CDATA[')) {
        flushText();
        const start = this.pos + 9;
        const end = this.src.indexOf(']]>', start);
        if (end < 0) this.fail('unterminated CDATA section');
        children.push({ type: 'text', text: this.src.slice(start, end), cdata: true });
        this.pos = end + 3;
      } else if (this.startsWith('<!--')) {
        flushText();
        this.parseComment();
      } else if (this.startsWith('<?')) {
        flushText();
        this.parsePi();
      } else if (this.startsWith('<!')) {
        this.fail('markup declaration not allowed inside an element');
      } else if (this.startsWith('<')) {
        flushText();
        children.push(this.parseElement());
      } else if (this.startsWith('&')) {
        text += this.parseReference();
      } else {
        if (this.startsWith(']]>')) this.fail('"]]>" in text');
        text += this.src[this.pos];
        this.pos++;
      }
    }
  }

  private parseAttrValue(): string {
    const quote = this.src[this.pos];
    if (quote !== '"' && quote !== "'") this.fail('attribute value not quoted');
    this.pos++;
    let value = '';
    for (;;) {
      if (this.pos >= this.src.length) this.fail('unterminated attribute value');
      const c = this.src[this.pos]!;
      if (c === quote) {
        this.pos++;
        return value;
      }
      if (c === '<') this.fail('"<" in an attribute value');
      if (c === '&') value += this.parseReference();
      else {
        value += /[\t\n\r]/.test(c) ? ' ' : c;
        this.pos++;
      }
    }
  }

  private parseReference(): string {
    const end = this.src.indexOf(';', this.pos);
    const body = end < 0 ? '' : this.src.slice(this.pos + 1, end);
    let out: string | undefined;
    if (/^#[0-9]+$/.test(body)) out = String.fromCodePoint(Number(body.slice(1)));
    else if (/^#x[0-9A-Fa-f]+$/.test(body)) out = String.fromCodePoint(parseInt(body.slice(2), 16));
    else out = PREDEFINED[body];
    if (out === undefined) this.fail(`invalid reference "&${body.slice(0, 20)}"`);
    this.pos = end + 1;
    return out as string;
  }

  private parseName(): string {
    const start = this.pos;
    if (!NAME_START.test(this.src[this.pos] ?? '')) this.fail('expected a name');
    this.pos++;
    while (this.pos < this.src.length && NAME_CHAR.test(this.src[this.pos]!)) this.pos++;
    return this.src.slice(start, this.pos);
  }

  private skipWhitespace(): boolean {
    const start = this.pos;
    while (this.pos < this.src.length && /[ \t\r\n]/.test(this.src[this.pos]!)) this.pos++;
    return this.pos > start;
  }

  private startsWith(s: string): boolean {
    return this.src.startsWith(s, this.pos);
  }

  private lineAt(pos: number): number {
    let line = 1;
    for (let i = 0; i < pos; i++) if (this.src.charCodeAt(i) === 10) line++;
    return line;
  }

  private failAt(pos: number, message: string): never {
    const line = this.lineAt(pos);
    const column = pos - this.src.lastIndexOf('\n', pos - 1);
    throw new XmlError(message, line, column);
  }

  private fail(message: string): never {
    return this.failAt(this.pos, message);
  }
}

/** Every descendant element (depth first) with the given name, or all when name is omitted. */
export function findAll(root: XmlElement, name?: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (el: XmlElement) => {
    for (const child of el.children) {
      if (child.type !== 'element') continue;
      if (!name || child.name === name) out.push(child);
      walk(child);
    }
  };
  if (!name || root.name === name) out.push(root);
  walk(root);
  return out;
}

export function childElements(el: XmlElement, name?: string): XmlElement[] {
  return el.children.filter((c): c is XmlElement => c.type === 'element' && (!name || c.name === name));
}

export function textOf(el: XmlElement): string {
  return el.children.map((c) => (c.type === 'text' ? c.text : textOf(c))).join('');
}
