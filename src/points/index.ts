export { likeAward, noteAward } from './point-rules';
export type { PointReason } from './point-rules';
export { PointsLedger } from './points.ledger';
export type { LedgerEvent, PointEntryRow } from './points.ledger';
