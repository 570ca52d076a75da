export {
  CLOSE_DROP,
  EXPIRE_RESERVATION,
  MAIL_RESERVATION_EXPIRING,
  OPEN_DROP,
  SWEEP_DROPS,
} from './drop-schedule';
export { DropState } from './drop-state';
export { DropsService } from './drops.service';
