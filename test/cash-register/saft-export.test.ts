import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { saftFileName } from '../../device/cash-register/saft-export.js';
import { parseSettings } from '../../device/config/load.js';
import { describeWithTools } from '../support/required-tools.js';
import { COMPANY, newTill, SALE_DAY, saftFileOf, saleOf, xmllint } from './till.js';

const coffee = (unitPrice: number, memberPrice?: number) => ({
  gtin: '2000000000039',
  name: 'Kaffe <250 g> & filter',
  unitPrice,
  vatClass: 'food' as const,
  ...(memberPrice === undefined ? {} : { memberPrice }),
});

/** A journal with every kind of row this kiosk writes today, and its SAF-T file of the day. */
async function exportedDay() {
  let now = SALE_DAY;
  const till = await newTill(() => now);
  till.register.started([coffee(6990, 5990)], '0.1.0');
  now += 60_000;
  const row = till.register.sale(saleOf(1, 5990));
  till.register.receiptShown(row.transNr, '0000000001');
  now += 60_000;
  till.register.prices([coffee(7490, 6490)]);
  now -= 30 * 60_000; // the clock stepped back
  till.register.sale(saleOf(2, 6490));
  till.register.exported({ from: '2026-11-23', to: '2026-11-23', file: 'earlier.xml' });
  const rows = [...till.store.all()];
  const { xml, file } = await saftFileOf(till.stateDir, rows, { createdAt: SALE_DAY + 3_600_000 });
  return { xml, file };
}

describeWithTools(
  'the SAF-T Cash Register file',
  { xmllint: '/usr/bin/xmllint' },
  'apt-get install libxml2-utils',
  () => {
    it('is named as Skatteetaten names it, in Norwegian time', () => {
      expect(saftFileName('974760673', Date.parse('2026-11-23T12:34:56Z'))).toBe(
        'SAF-T Cash Register_974760673_20261123133456.xml',
      );
    });

    it('validates against the official schema with price changes, a club discount, a clock step back and an export', async () => {
      const { xml, file } = await exportedDay();
      expect(xmllint(file)).toMatchObject({ code: 0 });
      expect(xml).toContain('<taxRegIdent>974760673MVA</taxRegIdent>');
      expect(xml).toContain('<artDesc>Kaffe &lt;250 g&gt; &amp; filter</artDesc>');
      expect(xml).toMatch(/<discount>\s*<dscTp>MEMBER<\/dscTp>\s*<dscAmnt>10.00<\/dscAmnt>/);
      expect(xml).toContain(
        '<paymentRefID>Vipps reference kiosk-07-0000000001-1; pspReference psp-1</paymentRefID>',
      );
      expect(xml).toContain(
        'artID 2000000000039 Kaffe &lt;250 g&gt; &amp; filter: 69.90 (member 59.90) -&gt; 74.90 (member 64.90)',
      );
      for (const type of ['SIGNKEY', 'POSSTART', 'PRICECHANGE', 'NOPRINT', 'CLOCKBACK', 'EXPORT']) {
        expect(xml).toContain(`<eventType>${type}</eventType>`);
      }
    });

    it('is refused by the schema when it is wrong: the validator in the tests can say no', async () => {
      const { xml, file } = await exportedDay();
      await writeFile(
        file,
        xml.replace('<transAmntIn>59.90</transAmntIn>', '<transAmntIn>59,90</transAmntIn>'),
      );
      const verdict = xmllint(file);
      expect(verdict.code).not.toBe(0);
      expect(verdict.output).toContain('transAmntIn');
    });
  },
);

describe('cashRegister configuration', () => {
  const parse = (cashRegister: Record<string, unknown>) =>
    parseSettings(
      {
        device: { id: 'kiosk-07', site: 'oslo-1' },
        vipps: { merchantSerialNumber: '123456' },
        cashRegister,
        secrets: { vipps: { clientId: 'a', clientSecret: 'b', subscriptionKey: 'c' } },
      },
      {},
      { config: 'config.json', secrets: 'secrets.json' },
    );

  it('takes a valid organisation number and defaults to VAT-registered', () => {
    expect(parse(COMPANY).cashRegister).toEqual({
      ...COMPANY,
      vatRegistered: true,
      allowSaleWithoutPrinter: false,
    });
  });

  it('refuses an organisation number whose check digit does not match, saying so', () => {
    expect(() => parse({ ...COMPANY, organisationNumber: '974760674' })).toThrow(
      'config.json: cashRegister.organisationNumber: "974760674" is not valid; expected a valid organisation number: the last digit (mod-11 check) does not match; check for a typo',
    );
  });

  it('refuses an organisation number with spaces and a postal code that is not 4 digits', () => {
    expect(() =>
      parse({
        ...COMPANY,
        organisationNumber: '974 760 673',
        address: { ...COMPANY.address, postalCode: '155' },
      }),
    ).toThrow(
      /organisationNumber: "974 760 673" is not valid; expected the organisation number: 9 digits, no spaces[\s\S]*postalCode: "155" is not valid; expected a Norwegian postal code/,
    );
  });
});
