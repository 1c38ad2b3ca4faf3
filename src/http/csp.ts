/**
 * The strict Content-Security-Policy of our pages (hono `secureHeaders` directives): everything
 * from our own origin, no inline scripts, no plugins, no framing, no `<base>` tricks. The UI uses
 * it as it is; a page that needs more adds single directives, each with its reason.
 */
export const STRICT_CSP = {
  defaultSrc: ["'self'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  objectSrc: ["'none'"],
};
