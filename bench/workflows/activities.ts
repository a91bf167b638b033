/** The baseline's one activity: nothing but the Temporal round trip. */
export const baselineActivities = {
  async noop(): Promise<void> {
    /* the round trip is the point */
  },
};

export type BaselineActivities = typeof baselineActivities;
