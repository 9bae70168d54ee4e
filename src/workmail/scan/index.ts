// The scan's public names, so a caller can import `workmail/scan` without knowing which file of
// the folder holds what.
export * from './engine';
