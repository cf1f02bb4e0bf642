// main refuses a settings patch with one sentence per problem, "path.to.field: message". These pick
// the ones for a field and say zod's terse messages in plain words.

export function splitError(e: string): { path: string; message: string } {
  const i = e.indexOf(': ');
  return i < 0 ? { path: '', message: e } : { path: e.slice(0, i), message: e.slice(i + 2) };
}

const under = (path: string, field: string) => path === field || path.startsWith(`${field}.`);

/** The messages for this field (or anything inside it), in words. */
export function errorsAt(errors: readonly string[], field: string): string[] {
  return errors.map(splitError).filter((e) => under(e.path, field)).map((e) => inWords(e.message));
}

/** Errors no listed field shows, with their path, so nothing is silently dropped. */
export function errorsElsewhere(errors: readonly string[], fields: readonly string[]): string[] {
  return errors.filter((e) => !fields.some((f) => under(splitError(e).path, f)));
}

export function inWords(message: string): string {
  const rules: Array<[RegExp, string]> = [
    [/^Too big: expected number to be <=?\s*(\S+)$/, 'must be at most $1'],
    [/^Too small: expected number to be >=?\s*(\S+)$/, 'must be at least $1'],
    [/^Too big: expected string to have <=?\s*(\S+) characters$/, 'must be at most $1 characters'],
    [/^Too small: expected string to have >=?\s*(\S+) characters?$/, 'must not be empty'],
    [/^Invalid input: expected number, received (null|undefined|NaN)$/, 'enter a number'],
    [/^Invalid input: expected int, received number$/, 'must be a whole number'],
    [/^Invalid (URL|url)$/, 'enter a full address, like https://name.openai.azure.com'],
  ];
  for (const [re, words] of rules) if (re.test(message)) return message.replace(re, words);
  return message;
}
