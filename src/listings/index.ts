export {
  returnListingStock,
  setListingStockAsideForDrop,
  showNextDrop,
  takeListingStockAtCommit,
} from './listings.repository';
export type { CreateListingInput } from './listings.schema';
