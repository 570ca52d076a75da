export { AirdropsService, RUN_AIRDROP } from './airdrops.service';
export { ConversionsService, SETTLE_CONVERSION, SWEEP_CONVERSIONS } from './conversions.service';
export { OffersService } from './offers.service';
