import { benchVippsClient } from './vipps-client.js';

// `npm run bench`: every benchmark in one run, figures printed as percentiles and ratios measured here.
// Reproduce with `npm install && npm run bench` on an idle machine; CHECKOUTS=N changes the sample size.

const checkouts = Number(process.env.CHECKOUTS ?? 300);

function header(title: string, how: string): void {
  process.stdout.write(`\n== ${title}\n${how}\n\n`);
}

header(
  'Vipps client: checkout-shaped round trips to the sandbox on loopback',
  `${checkouts} checkouts per caller (create, get, capture), callers interleaved; the sandbox runs in its own process.`,
);
const client = await benchVippsClient(checkouts);
process.stdout.write(`${client.lines}\n`);

process.stdout.write(
  '\nReproduce: npm install && npm run bench   (CHECKOUTS=N sets the sample size; default 300)\n',
);
