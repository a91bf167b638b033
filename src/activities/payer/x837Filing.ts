/** The claim filing indicator lives in the pure domain (workflows map plan types too); re-exported for the 837 code. */
export * from '../../domain/x12/claimFiling';
