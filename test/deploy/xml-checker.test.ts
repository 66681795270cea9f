import { describe, expect, it } from 'vitest';
import { parseXml, xmlError } from './xml.ts';

describe('the well-formedness checker used by the deploy tests', () => {
  it.each([
    ['<a/>'],
    ['<?xml version="1.0"?>\n<a b="1" c=\'2\'>x &amp; &lt; &#65; &#x41;<b/><!-- ok - ok --></a>'],
    ['<?xml version="1.0" encoding="ISO-8859-1" ?>\n<!DOCTYPE scenario SYSTEM "sipp.dtd">\n<scenario/>'],
    ['<a><![CDATA[ <not> & markup ]]></a>'],
    ['<!-- before --><a/>\n<!-- after -->\n'],
  ])('accepts %j', (src) => {
    expect(xmlError(src)).toBeNull();
  });

  it.each([
    ['<a>', 'unclosed'],
    ['<a></b>', 'does not close'],
    ['<a/><b/>', 'more than one root'],
    ['<a b=1/>', 'not quoted'],
    ['<a b="1" b="2"/>', 'duplicate attribute'],
    ['<a b="<"/>', '"<" in an attribute'],
    ['<a>&nbsp;</a>', 'invalid reference'],
    ['<a>fish & chips</a>', 'invalid reference'],
    ['<a><!-- no -- dashes --></a>', '"--" inside a comment'],
    ['text<a/>', 'text outside'],
    ['<a/>\n<?xml version="1.0"?>', 'XML declaration'],
    ['', 'no root'],
    ['<a><![CDATA[ open </a>', 'unterminated CDATA'],
  ])('rejects %j', (src, message) => {
    const err = xmlError(src);
    expect(err).not.toBeNull();
    expect(err!.message).toContain(message);
  });

  it('builds a tree with decoded attributes and text', () => {
    const root = parseXml('<r><x name="a&amp;b">t&lt;</x></r>');
    const x = root.children[0];
    expect(x?.type).toBe('element');
    if (x?.type !== 'element') return;
    expect(x.attrs.name).toBe('a&b');
    expect(x.children[0]).toEqual({ type: 'text', text: 't<', cdata: false });
  });
});
