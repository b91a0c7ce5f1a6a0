import { en } from './en.js';
import type { CashierMessages } from './messages.js';
import { nb } from './nb.js';

export type { CashierMessages } from './messages.js';
export type CashierLanguage = 'nb' | 'en';
export const CASHIER_CATALOGS: Readonly<Record<CashierLanguage, CashierMessages>> = { nb, en };
