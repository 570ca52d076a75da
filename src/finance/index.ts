export type { FinanceService } from './finance.service';
