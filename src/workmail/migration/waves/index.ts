// Migration waves: which mailboxes move together. Practice guides for mailbox migrations put a
// mailbox and everyone with rights on it in the same batch, because a delegation between a moved
// and a not-yet-moved mailbox does not work across systems. So:
//
// 1. delegations.ts: the delegation graph's edges, read from the snapshot: mailbox permissions and
//    booking delegations (what binds two mailboxes to move, and what is counted but not planned).
// 2. graph.ts: its connected components must move together; each is a wave.
// 3. partition.ts: with a maximum wave size, a larger component is split into parts of at most
//    that size, cutting as few delegations as the heuristic finds; plan.ts packs the parts and
//    components into waves and lists every delegation cut.
//    applications.ts notes the waves each impersonation role reaches (never an edge).
// 4. render.ts writes a plan as CSV and as a markdown report; parse.ts reads the CSV back.
export { isWaveMailbox, delegationsOf, type Delegation, type DelegationRoute, type NotPlanned, type SnapshotDelegations, type UnreadableDelegates, type UnreadableGroup } from './delegations';
export { applicationNotes, wavesInWords, type ApplicationNote, type ApplicationNotes } from './applications';
export { planWaves, type CutDelegation, type Wave, type WaveOptions, type WavePlan } from './plan';
export { WAVE_COLUMNS, wavesCsv, wavesReport } from './render';
export { parseWaves, readWaves } from './parse';
