// What other features use of the glossary; the composition roots import the rest directly.
export type { TermsOnNotes } from './terms-on-notes';
