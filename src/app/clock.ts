/**
 * The clock, injected wherever a test needs time to stand still. Its own module so that the
 * public types naming it (LeanMockOptions.clock) reach no HTTP framework.
 */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
