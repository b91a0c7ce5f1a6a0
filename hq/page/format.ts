// Money and times as the page shows them (HQ's locale is Norwegian, the page's language English).

export function money(minor: number | null, currency: string | null = 'NOK'): string {
  if (minor === null) return '–';
  try {
    return new Intl.NumberFormat('nb-NO', { style: 'currency', currency: currency ?? 'NOK' }).format(
      minor / 100,
    );
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency ?? ''}`;
  }
}

export function time(ms: number | null): string {
  if (ms === null) return '–';
  return new Date(ms).toLocaleString('sv-SE');
}

export function yesNo(value: boolean | null, yes = 'yes', no = 'no'): string {
  return value === null ? '–' : value ? yes : no;
}

/** Today in the browser's time zone, YYYY-MM-DD. */
export function today(): string {
  return new Date().toLocaleDateString('sv-SE');
}
