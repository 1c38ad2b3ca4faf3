import type { DialTarget } from './dialer.js';

/**
 * Fills `{e164}` and `{extension}` in a CTI template. `encode` is applied to the values only
 * (`encodeURIComponent` in a URL, JSON string escaping in a JSON body), never to the template.
 */
export function fillTemplate(template: string, target: DialTarget, encode: (value: string) => string = (v) => v): string {
  return template.replaceAll('{e164}', encode(target.e164)).replaceAll('{extension}', encode(target.extension));
}

/** A value as it may stand inside a JSON string literal ("…{e164}…"). */
export const jsonStringContent = (value: string) => JSON.stringify(value).slice(1, -1);
