// What other features use of notes; the composition roots import the rest directly.
export type { GlossaryTermRef } from './glossary-term-ref.schema';
export type { BufferWaitObserver, Decision } from './moderation.service';
export type { ModerationPolicies } from './moderation-policy';
export type { ModeratorRegions } from './moderator-regions';
export type { NotePublicationHooks } from './note-earnings';
export { needsReview, normaliseTag, type ModerationPolicy } from './note-rules';
export { NOTE_COLUMNS, type BufferBacklog, type NoteRow } from './notes.repository';
export { cultureTag, languageTag, noteSchema, rejectBody, type NoteView } from './notes.schema';
export { noteView } from './notes.service';
