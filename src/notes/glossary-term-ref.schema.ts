import { z } from 'zod';
import '../http/openapi';

/** A glossary term as a note lists it: the term and the language it comes from. */
export const glossaryTermRefSchema = z
  .object({
    term: z.string(),
    language: z.string(),
  })
  .openapi('GlossaryTermRef');
export type GlossaryTermRef = z.output<typeof glossaryTermRefSchema>;
