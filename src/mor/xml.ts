/**
 * An XML element tree: a value is text, a nested element, or an array of repeated elements. Inside an
 * element, a key `@name` is an attribute (`<payment currency="EUR">`) and `#text` is text written
 * before the child elements, on one line (`<error>Payment was not saved<message>…</message></error>`:
 * mixed content, where indentation would change the element's text).
 */
export type XmlValue = string | number | XmlNode | XmlNode[] | string[];
export interface XmlNode {
  [tag: string]: XmlValue;
}

/**
 * Escapes text as MOR's Rails builder does (&, <, > only; apostrophes and quotes stay readable) and
 * drops characters XML 1.0 cannot carry, so every document parses.
 */
export function escapeText(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;');
}

const NEEDS_ESCAPE = /[&<>]|[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/**
 * Serialises an element tree: two-space indentation, one element per line, text escaped, an element
 * without children as `<tag></tag>`, an array as repeated elements. The layout is fast-xml-parser's XMLBuilder
 * with `format: true` (what openmor rendered with first; test/mor/xml.test.ts holds the two equal on
 * random trees), written out because rendering sits on every request's path.
 */
function serialise(node: XmlNode, indent: string, out: string[]): void {
  for (const tag in node) {
    if (isMarkup(tag)) continue;
    const value = node[tag];
    if (Array.isArray(value)) for (const item of value) element(tag, item, indent, out);
    else element(tag, value, indent, out);
  }
}

/** `@attribute` and `#text` keys are part of their element, not child elements. */
const isMarkup = (key: string) => key.charCodeAt(0) === 64 || key === '#text';

function element(tag: string, value: XmlValue | undefined | null, indent: string, out: string[]): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'object') {
    out.push(`${indent}<${tag}>${escapeText(String(value))}</${tag}>\n`);
    return;
  }
  const node = value as XmlNode;
  const open = `${tag}${attributes(node)}`;
  if ('#text' in node) {
    out.push(`${indent}${inline(open, tag, node)}\n`);
    return;
  }
  const start = out.push(`${indent}<${open}>\n`);
  serialise(node, `${indent}  `, out);
  // No child rendered (an empty object, empty arrays only): the element is written empty.
  if (out.length === start) {
    out[start - 1] = `${indent}<${open}></${tag}>\n`;
    return;
  }
  out.push(`${indent}</${tag}>\n`);
}

/** The element's `@name` keys as ` name="value"` (text escaped, quotes too). */
function attributes(node: XmlNode): string {
  let out = '';
  for (const key in node) {
    if (key.charCodeAt(0) !== 64) continue;
    out += ` ${key.slice(1)}="${escapeText(String(node[key])).replaceAll('"', '&quot;')}"`;
  }
  return out;
}

/** A mixed-content element on one line: its text, then its children without any whitespace. */
function inline(open: string, tag: string, node: XmlNode): string {
  let body = escapeText(String(node['#text']));
  for (const key in node) {
    if (isMarkup(key)) continue;
    const value = node[key];
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null) continue;
      body +=
        typeof item === 'object'
          ? inline(`${key}${attributes(item)}`, key, { '#text': '', ...item })
          : `<${key}>${escapeText(String(item))}</${key}>`;
    }
  }
  return `<${open}>${body}</${tag}>`;
}

export const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
/** user_login / user_logout keep MOR's older declaration. */
export const STANDALONE_DECLARATION = '<?xml version="1.0" encoding="utf-8" standalone="yes"?>';

/** Renders a document; `html` wraps it for "XML API Extension" (.NET clients) without the declaration. */
export function renderXml(root: XmlNode, options: { declaration?: string; html?: boolean } = {}): string {
  const out: string[] = [];
  serialise(root, '', out);
  const body = out.join('');
  if (options.html) return `<html>\n${body}</html>\n`;
  return `${options.declaration ?? DECLARATION}\n${body}`;
}

/** Elements rendered at a nesting depth (0 = top level), laid out exactly as inside renderXml. */
export function renderFragment(node: XmlNode, depth: number): string {
  const out: string[] = [];
  serialise(node, '  '.repeat(depth), out);
  return out.join('');
}

/**
 * A reply of the XML API: a document, a document streamed in pieces (the text after the declaration;
 * large exports), a plain-text body, or a redirect.
 */
export type MorReply =
  | { kind: 'xml'; root: XmlNode; declaration?: string; headers?: Record<string, string> }
  | { kind: 'xmlStream'; body: AsyncIterable<string | Uint8Array> }
  | { kind: 'text'; body: string }
  | { kind: 'redirect'; location: string; headers?: Record<string, string> };

export const xml = (root: XmlNode, declaration?: string): MorReply => ({ kind: 'xml', root, declaration });
export const text = (body: string): MorReply => ({ kind: 'text', body });

/** `<status><error>…</error></status>`: pipeline errors. */
export const statusError = (message: string) => xml({ status: { error: message } });
/** `<page><error>…</error></page>`: method errors of older methods. */
export const pageError = (message: string) => xml({ page: { error: message } });
/** `<page><status><error>…</error></status></page>`: method errors of X-era methods. */
export const pageStatusError = (message: string) => xml({ page: { status: { error: message } } });
/** `<page><status><success>…</success></status></page>`: success of X-era mutating methods. */
export const pageStatusSuccess = (message: string) => xml({ page: { status: { success: message } } });
/** `<page>…</page>`: read methods. */
export const page = (data: XmlNode) => xml({ page: data });

export type ErrorWrapper = (message: string) => MorReply;
