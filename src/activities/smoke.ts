/** A trivial activity used by the smoke workflow to prove a worker can reach activities. */
export function createSmokeActivities(deps: { greeting: string }) {
  return {
    async echo(text: string): Promise<string> {
      return `${deps.greeting}: ${text}`;
    },
  };
}
export type SmokeActivities = ReturnType<typeof createSmokeActivities>;
