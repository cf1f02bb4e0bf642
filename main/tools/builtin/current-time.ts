// Always registered, so the function-calling loop is exercised in every session.
import { z } from 'zod';
import { defineTool } from '../tool-registry';

export function currentTimeTool(timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone, now: () => Date = () => new Date()) {
  return defineTool({
    name: 'get_current_time',
    description: "Get the current date and time in the user's time zone (or in a given IANA time zone).",
    parameters: z.object({
      timeZone: z.string().optional().describe('IANA time zone such as "Europe/Paris"; defaults to the user\'s own'),
    }),
    run({ timeZone: requested }) {
      const zone = requested ?? timeZone;
      const d = now();
      // Throws RangeError on an unknown zone, which the registry turns into an error output.
      const local = new Intl.DateTimeFormat('en-GB', {
        timeZone: zone,
        dateStyle: 'full',
        timeStyle: 'long',
      }).format(d);
      return { timeZone: zone, local, iso: d.toISOString() };
    },
  });
}
