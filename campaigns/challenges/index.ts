export { ChallengeBonus } from './challenge-bonus';
export { ChallengesService } from './challenges.service';
