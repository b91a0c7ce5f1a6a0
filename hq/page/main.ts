import { HqApp } from './hq-app.js';
import { HqChart } from './hq-chart.js';
import { HqKiosk } from './hq-kiosk.js';
import { HqReconcile } from './hq-reconcile.js';
import { HqSales } from './hq-sales.js';

// The HQ page's entry point (bundled into dist/hq/app.js by ui/build.mjs).

const ELEMENTS: Array<[string, CustomElementConstructor]> = [
  ['hq-chart', HqChart],
  ['hq-kiosk', HqKiosk],
  ['hq-sales', HqSales],
  ['hq-reconcile', HqReconcile],
  ['hq-app', HqApp],
];
for (const [name, element] of ELEMENTS) customElements.define(name, element);
