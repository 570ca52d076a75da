// Kept until campaigns/drops imports showNextDrop from '../../src/listings'.
export { showNextDrop } from './listings.repository';
