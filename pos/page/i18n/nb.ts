import type { CashierMessages } from './messages.js';

export const nb: CashierMessages = {
  locale: 'nb-NO',
  switchTo: 'English',
  title: 'Kasse',
  connecting: 'Kobler til kassen …',
  disconnected: 'Mistet forbindelsen med kassen. Prøver igjen …',
  scan: {
    label: 'Skann eller skriv strekkode',
    hint: 'Kundens personlige QR-kode kan også skannes her.',
    add: 'Legg til',
  },
  basket: {
    title: 'Handlekurv',
    empty: 'Handlekurven er tom. Skann en vare for å starte.',
    ware: 'Vare',
    quantity: 'Antall',
    quantityOf: (name) => `Antall ${name}`,
    unitPrice: 'Pris',
    vat: 'Mva.',
    total: 'Sum',
    memberPrice: 'medlemspris',
    remove: (name) => `Fjern ${name}`,
    removeHeader: 'Fjern',
    items: (count) => (count === 1 ? '1 vare' : `${count} varer`),
    toPay: 'Å betale',
    vatIncluded: 'Herav mva.',
    savings: 'Medlemsrabatt',
  },
  customer: {
    title: 'Kunde',
    phoneLabel: 'Kundens mobilnummer',
    usePhone: 'Bruk nummeret',
    none: 'Kunden skanner sin QR-kode på terminalen, eller skann den her.',
    personalQr: 'Kundens personlige QR-kode er skannet.',
    phone: (number) => `Betalingen sendes til ${number}.`,
    clear: 'Fjern kunden',
  },
  club: {
    title: 'Kundeklubb',
    request: 'Be om medlemskap',
    enrol: 'Meld inn i kundeklubben',
    abortEnrolment: 'Avbryt innmeldingen',
    code: 'Kode på kundeskjermen',
    needsPhone: 'Skriv kundens mobilnummer for å sjekke medlemskap.',
    state: (club) => {
      switch (club.state) {
        case 'checking':
          return `Sjekker medlemskap for ${club.phoneNumber} …`;
        case 'member':
          return club.joined
            ? `${club.phoneNumber} er meldt inn i klubben. Medlemspriser gjelder.`
            : `${club.phoneNumber} er medlem. Medlemspriser gjelder.`;
        case 'not-member':
          return `${club.phoneNumber} er ikke medlem${ENROLMENT_END_NB[club.enrolment ?? 'none']} Meld kunden inn nå, eller kunden kan bli med på kundeskjermen når betalingen sendes.`;
        case 'enrolling':
          return club.aborting
            ? 'Stopper innmeldingen …'
            : club.bindingMessage === null
              ? `Sender en Vipps-forespørsel om innmelding til ${club.phoneNumber} …`
              : `Venter på at ${club.phoneNumber} godkjenner innmeldingen i appen. Be kunden sjekke at appen viser koden på kundeskjermen.`;
      }
    },
  },
  payment: {
    title: 'Betaling',
    send: 'Send betalingsforespørsel',
    abort: 'Avbryt betalingen',
    aborting: 'Avbryter …',
    next: 'Neste salg',
    status: {
      'waiting-for-customer': 'Venter på at kunden skanner sin QR-kode på terminalen.',
      requesting: 'Sender betalingsforespørselen …',
      'awaiting-approval': 'Venter på at kunden godkjenner i appen.',
      capturing: 'Godkjent. Trekker beløpet …',
      completed: 'Betalt.',
      declined: 'Kunden avviste betalingen.',
      aborted: 'Betalingen er avbrutt. Ingenting er trukket.',
      failed: 'Betalingen mislyktes. Ingenting er trukket.',
      unknown: 'Utfallet er ikke kjent ennå. Terminalen sjekker med Vipps. Ikke ta betalt på nytt.',
    },
    declineReason: {
      rejected: 'Kunden avviste i appen.',
      expired: 'Kunden svarte ikke i tide.',
      cancelled: 'Betalingen ble avbrutt.',
      'unknown-customer': 'Nummeret eller QR-koden har ingen Vipps-konto.',
      'invalid-customer': 'Vipps godtok ikke kunden. Prøv et annet nummer eller en annen QR-kode.',
      refused: 'Vipps avviste betalingen.',
    },
    abortTooLate: 'For sent å avbryte: kunden har godkjent, og beløpet trekkes.',
    id: (id) => `Transaksjon ${id}`,
  },
  notice: (notice) => {
    switch (notice.kind) {
      case 'added':
        return `${notice.name} er lagt til.`;
      case 'not-in-catalog':
        return `Finner ikke ${notice.code} i varelisten.`;
      case 'unknown-code':
        return 'Koden er verken en strekkode eller en personlig QR-kode.';
      case 'customer-scanned':
        return 'Kundens QR-kode er skannet.';
      case 'bad-phone':
        return 'Det er ikke et mobilnummer. Skriv 8 sifre, eller + og landskode.';
      case 'sale-locked':
        return 'Salget kan ikke endres mens betalingen pågår.';
      case 'terminal-unreachable':
        return 'Får ikke svar fra terminalen. Prøver igjen med samme transaksjon …';
      case 'resumed':
        return 'Kassen startet på nytt under denne betalingen; slik står den nå hos terminalen.';
      case 'not-saved':
        return `Kassen kunne ikke lagre betalingen, så den ble ikke sendt og kunden er ikke bedt om noe: ${notice.reason}`;
      case 'terminal':
        return `Terminalen svarte: ${notice.message}`;
    }
  },
};

/** Hvordan kassererens innmelding endte, sagt før det kassereren kan gjøre videre. */
const ENROLMENT_END_NB = {
  none: ' ennå.',
  declined: ': kunden takket nei i appen.',
  timeout: ': kunden svarte ikke i tide.',
  unavailable: ': klubben eller Vipps kan ikke nås nå. Sett pris uten klubben.',
  'approval-lost': ': godkjenningen kom bort på veien. Prøv igjen.',
  aborted: ': innmeldingen ble stoppet. En forespørsel som ligger igjen i appen, kan avslås der.',
} as const;
