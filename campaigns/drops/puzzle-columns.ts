import { hashAnswer } from './answer-normaliser';
import type { CreateDropInput } from './drops.schema';

type Puzzle = CreateDropInput['puzzle'];

/** A puzzle as the drops table keeps it: texts as JSON, answers only as their salted hashes. */
export function puzzleColumns(puzzle: Puzzle, salt: string) {
  return {
    question: JSON.stringify(puzzle.question),
    hints: JSON.stringify(puzzle.hints ?? []),
    answerHashes: JSON.stringify([
      ...new Set(puzzle.answers.map((answer) => hashAnswer(answer, salt))),
    ]),
  };
}
