// The app's Content Security Policy, defined once: main sends it as a header on every app://
// response, and the renderer build writes it into each page's <meta> (vite.config.ts), so the pages
// are held to it wherever they are served, the tests' plain HTTP server included.
// No blob:, no 'unsafe-eval', no 'unsafe-inline' scripts; worklets load as files from 'self'.
const DIRECTIVES = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "media-src 'self'",
  "img-src 'self' data:",
  "worker-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
];

export const CSP = DIRECTIVES.join('; ');

/** The policy as a <meta> can carry it: browsers ignore frame-ancestors there, and say so. */
export const CSP_META = DIRECTIVES.filter((d) => !d.startsWith('frame-ancestors')).join('; ');
