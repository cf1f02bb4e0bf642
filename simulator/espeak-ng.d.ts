// The `espeak-ng` package ships no types; this is the part of its Emscripten module that tts.ts uses.
declare module 'espeak-ng' {
  interface ESpeakModule {
    FS: { readFile(path: string, opts?: { encoding?: 'binary' }): Uint8Array };
  }
  export default function ESpeakNg(opts: { arguments: string[]; print?: (s: string) => void; printErr?: (s: string) => void }): Promise<ESpeakModule>;
}
