/**
 * Template text: literal text with `{{name}}` (named) and `{{1}}`, `{{2}}`… (positional) placeholders. Parsing
 * happens at create/update, so a malformed template is a 400 naming where it breaks, never a surprise on a call;
 * filling happens at render, where a missing value is a 400 naming the placeholder.
 */
import { ValidationError, type FieldIssue } from '../../domain/errors.ts';

export type Segment = { kind: 'text'; text: string } | { kind: 'named'; name: string } | { kind: 'positional'; index: number };

export interface ParsedTemplate {
  segments: Segment[];
  /** The distinct placeholders in order of first use: names, and positions as "1", "2", … */
  placeholders: string[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const POSITION = /^[1-9][0-9]{0,2}$/;

/** Values by name or position: an object ({"name": "John", "2": "ORD1"}), a list (positions 1…n), or the seed API's "John,ORD1,1500". */
export type TemplateValues = Readonly<Record<string, string | number>> | ReadonlyArray<string | number> | string;

const label = (p: string) => `{{${p}}}`;

/** Splits the text into literal text and placeholders; every malformed brace pair is an issue naming its (1-based) character. */
export function parseTemplate(text: string, field = 'text'): ParsedTemplate {
  const segments: Segment[] = [];
  const seen = new Set<string>();
  const issues: FieldIssue[] = [];
  const literal = (s: string) => {
    if (s) segments.push({ kind: 'text', text: s });
  };
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    const close = text.indexOf('}}', i);
    if (close !== -1 && (open === -1 || close < open)) {
      issues.push({ field, message: `"}}" at character ${close + 1} closes no "{{"` });
      literal(text.slice(i, close + 2));
      i = close + 2;
      continue;
    }
    if (open === -1) {
      literal(text.slice(i));
      break;
    }
    literal(text.slice(i, open));
    const end = text.indexOf('}}', open + 2);
    if (end === -1) {
      issues.push({ field, message: `"{{" at character ${open + 1} is never closed with "}}"` });
      break;
    }
    const inner = text.slice(open + 2, end).trim();
    if (POSITION.test(inner)) segments.push({ kind: 'positional', index: Number(inner) });
    else if (NAME.test(inner)) segments.push({ kind: 'named', name: inner });
    else {
      issues.push({ field, message: `"${text.slice(open, end + 2)}" at character ${open + 1} is not a placeholder: use {{name}} (letters, digits, _) or {{1}}, {{2}}…` });
    }
    if (POSITION.test(inner) || NAME.test(inner)) seen.add(inner);
    i = end + 2;
  }
  if (issues.length > 0) throw new ValidationError(`Malformed template: ${issues.map((x) => x.message).join('; ')}`, issues);
  return { segments, placeholders: [...seen] };
}

/** Values as a lookup by name or position ("1" is the first of a list). */
function valueTable(values: TemplateValues): ReadonlyMap<string, string> {
  const list = typeof values === 'string' ? values.split(',').map((v) => v.trim()) : values;
  if (Array.isArray(list)) return new Map(list.map((v, i) => [String(i + 1), String(v)]));
  return new Map(Object.entries(list).map(([k, v]) => [k, String(v)]));
}

/** The text to speak; every placeholder without a value is named in one 400 (field `variables.<placeholder>`). */
export function fillTemplate(parsed: ParsedTemplate, values: TemplateValues): string {
  const table = valueTable(values);
  const missing = parsed.placeholders.filter((p) => table.get(p) === undefined);
  if (missing.length > 0) {
    throw new ValidationError(
      `Missing value for ${missing.map(label).join(', ')}`,
      missing.map((p) => ({ field: `variables.${p}`, message: `no value for ${label(p)}` })),
    );
  }
  return parsed.segments
    .map((s) => (s.kind === 'text' ? s.text : s.kind === 'named' ? table.get(s.name)! : table.get(String(s.index))!))
    .join('');
}
