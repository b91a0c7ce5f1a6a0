import { expect, it } from 'vitest';
import { newTill, SALE_DAY, saftFileOf, saleOf, xmllint } from '../cash-register/till.js';
import { describeWithTools } from '../support/required-tools.js';

describeWithTools(
  'staff log-ins in the SAF-T Cash Register file',
  { xmllint: '/usr/bin/xmllint' },
  'apt-get install libxml2-utils',
  () => {
    it('lists each employee who logged in, and names them on EMPIN/EMPOUT; the file validates', async () => {
      let now = SALE_DAY;
      const till = await newTill(() => now);
      till.register.started([], '0.1.0');
      // Logged in the day before: still listed, because the master data come from every log-in.
      till.register.staffLoggedIn({ id: 'E7', name: 'Kari <Nordmann> & co' });
      till.register.staffLoggedOut('E7', 'timed-out');
      now += 86_400_000;
      till.register.staffLoggedIn({ id: 'E8', name: 'Ola Nordmann' });
      till.register.report('x');
      till.register.sale(saleOf(1, 5990));
      till.register.staffLoggedIn({ id: 'E7', name: 'Kari Nordmann' });
      till.register.staffLoggedOut('E7', 'logged-out');
      const all = [...till.store.all()];
      const createdAt = now + 60_000;
      const { xml, file } = await saftFileOf(
        till.stateDir,
        all.filter((row) => row.at >= SALE_DAY + 86_400_000),
        {
          createdAt: createdAt,
          date: '2026-11-24',
          loginRows: all.filter((row) => row.kind === 'staff.login'),
        },
      );
      expect(xmllint(file)).toMatchObject({ code: 0 });
      const employees = [...xml.matchAll(/<employee>\s*<empID>([^<]+)<\/empID>[\s\S]*?<surName>([^<]+)</g)];
      expect(employees.map((m) => [m[1], m[2]])).toEqual([
        ['E7', 'Kari &lt;Nordmann&gt; &amp; co'],
        ['E8', 'Ola Nordmann'],
      ]);
      // The schema's key/keyref (empIDKey) name unqualified elements, so xmllint cannot hold the file to
      // them: every employee an event names is checked here instead.
      const named = new Set([...xml.matchAll(/<\/eventType>\s*<empID>([^<]+)</g)].map((m) => m[1]));
      expect([...named].sort()).toEqual(['E7', 'E8']);
      expect(xml).toMatch(/<eventType>EMPIN<\/eventType>\s*<empID>E8<\/empID>/);
      expect(xml).toMatch(/<eventType>EMPOUT<\/eventType>\s*<empID>E7<\/empID>/);
      expect(xml).toContain('<predefinedBasicID>13003</predefinedBasicID>');
      expect(xml).toContain('<predefinedBasicID>13004</predefinedBasicID>');
    });
  },
);
