import { text } from 'node:stream/consumers';
import { type LoadSandbox, runCheckoutLoad } from './checkouts.js';

// Child process of the checkout benchmark: reads where the sandbox is from stdin, prints figures as JSON.
const sandbox = JSON.parse(await text(process.stdin)) as LoadSandbox;
const result = await runCheckoutLoad(sandbox, Number(process.argv[2]));
process.stdout.write(JSON.stringify(result));
