import type { VatClass } from './vat.js';

/** One thing the shop sells, as its catalog lists it. */
export interface Product {
  /** EAN-8 or EAN-13 (a UPC-A code is held in its EAN-13 form); the key a scan is looked up by. */
  readonly gtin: string;
  readonly name: string;
  /** Price of one unit in minor units (øre/cents), VAT included. */
  readonly unitPrice: number;
  readonly vatClass: VatClass;
  /** Customer-club price of one unit, VAT included, below `unitPrice`; absent when members pay the same. */
  readonly memberPrice?: number;
}
