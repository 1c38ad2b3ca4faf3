// DOM building without innerHTML: every text goes in as a text node, so customer data from
// Excel ("<img src=x onerror=…>") is shown, never parsed.

/** @typedef {Node | string | number | null | undefined | false} Child */
/** @typedef {Child | Child[] | Child[][]} Children nested arrays are flattened */

/**
 * Creates an element. Props: `class`, `on<event>` handlers, `dataset`, DOM properties
 * (`value`, `checked`, `disabled`, …) when the value is not a string, else attributes.
 * `href` goes through {@link safeHref}.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, unknown>} [props]
 * @param {...Children} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = String(value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), /** @type {EventListener} */ (value));
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'href') el.setAttribute('href', safeHref(String(value)));
    else if (typeof value !== 'string' && key in el) /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (el))[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/**
 * @param {Element} parent
 * @param {Children[]} children
 */
export function append(parent, children) {
  for (const child of children.flat(2)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/**
 * Replaces all children of `parent`.
 * @param {Element} parent
 * @param {...Children} children
 */
export function replace(parent, ...children) {
  shownKeys.delete(parent);
  parent.replaceChildren();
  append(parent, children);
}

/** What `replaceIfChanged` last showed in a parent. */
const shownKeys = new WeakMap();

/**
 * Replaces the children of `parent` with what `build` makes, unless `key` (a summary of the data
 * shown, e.g. its JSON) is what it shows already: a refresh that changed nothing leaves the
 * elements, the keyboard focus on them and screen readers alone.
 * @param {Element} parent
 * @param {string} key
 * @param {() => Children} build
 */
export function replaceIfChanged(parent, key, build) {
  if (shownKeys.get(parent) === key) return;
  replace(parent, build());
  shownKeys.set(parent, key);
}

/**
 * Only link schemes a dialer or the app itself uses; anything else (`javascript:`) becomes `#`.
 * @param {string} url
 */
export function safeHref(url) {
  // Same-site paths only: '//host' and '/\host' are protocol-relative links to other hosts.
  return /^(tel|sip|sips|callto|https?):/i.test(url) || url.startsWith('#') || /^\/(?![/\\])/.test(url) ? url : '#';
}

/**
 * A labelled form field: `<label><span>text</span>control<small>hint</small></label>`.
 * @param {string} text
 * @param {HTMLElement} control
 * @param {string} [hint]
 */
export function field(text, control, hint) {
  return h('label', { class: 'field' }, h('span', { class: 'field-label' }, text), control, hint ? h('small', { class: 'hint' }, hint) : null);
}

/**
 * A message box; `kind` is info, success, warning or error.
 * @param {'info' | 'success' | 'warning' | 'error'} kind
 * @param {...Children} content
 */
export function notice(kind, ...content) {
  return h('div', { class: `notice notice-${kind}`, role: kind === 'error' || kind === 'warning' ? 'alert' : 'status' }, ...content);
}

/**
 * Creates an SVG element (charts): attributes only, text as text nodes, like {@link h}.
 * @template {keyof SVGElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string | number>} [attrs]
 * @param {...Children} children
 * @returns {SVGElementTagNameMap[K]}
 */
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  append(el, children);
  return el;
}
