/**
 * Putting report strings into the page safely. Hotspot names, fault descriptions and the scenario name
 * come from scenario files, so every one goes through `escapeHtml` (text and quoted attribute values,
 * HTML §13.1.2.3–4) and the embedded report through `jsonForScript`.
 */

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe inside an element or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/**
 * JSON safe inside `<script type="application/json">`: a raw text element ends at the first `</script`
 * and `<!--` changes how it is tokenized (HTML §13.2.5.4), so `<`, `>` and `&` are written as JSON's own
 * `\u003c`-style escapes, which `JSON.parse` reads back as the same characters. U+2028/2029 are escaped
 * too, so the text is also safe to paste into JavaScript source.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
