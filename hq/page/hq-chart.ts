import { LitElement } from 'lit';
import uPlot from 'uplot';

// One uPlot chart. A canvas says nothing to a screen reader, so each chart is an image named by its
// caption, and the page shows the same figures in a table beside it.

const COLOURS = ['#3b2a8a', '#a11a1a', '#14632c', '#7a4b00', '#00607a', '#6b1f5c'];

export class HqChart extends LitElement {
  static override properties = {
    label: { type: String },
    series: { attribute: false },
    data: { attribute: false },
    unit: { type: String },
  };

  declare label: string;
  declare series: string[];
  declare data: uPlot.AlignedData;
  declare unit: string;
  private plot: uPlot | undefined;

  constructor() {
    super();
    this.label = '';
    this.series = [];
    this.data = [[]];
    this.unit = '';
  }

  // Light DOM: uPlot's stylesheet is the document's.
  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.setAttribute('role', 'img');
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.plot?.destroy();
    this.plot = undefined;
  }

  protected override updated(): void {
    this.setAttribute('aria-label', this.label);
    this.plot?.destroy();
    const width = Math.max(320, this.clientWidth || this.parentElement?.clientWidth || 520);
    this.plot = new uPlot(
      {
        width,
        height: 220,
        legend: { show: false },
        cursor: { show: false },
        series: [
          {},
          ...this.series.map((name, i) => ({
            label: name,
            stroke: COLOURS[i % COLOURS.length] ?? '#3b2a8a',
            width: 2,
            spanGaps: true,
          })),
        ],
        axes: [{}, { label: this.unit, size: 70 }],
      },
      this.data,
      this,
    );
  }
}
