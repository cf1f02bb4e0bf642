// Vite's `?worker&url` suffix: the worklet is bundled as its own file on the app origin and this
// import gives its URL (no blob:, so a `script-src 'self'` CSP holds). Declared here rather than via
// vite/client so that the node-side tsconfig (which type-checks the test harness) resolves it too.
declare module '*?worker&url' {
  const url: string;
  export default url;
}
