import type { Messages } from './messages.js';

export const nb: Messages = {
  locale: 'nb-NO',
  languageName: 'Bokmål',

  app: {
    tagline: 'Betal med {app}',
    language: 'Språk',
    largeText: 'Stor tekst',
    connecting: 'Starter opp …',
    reconnecting: 'Kobler til igjen …',
    reconnectingDetail: 'Det tar bare et øyeblikk.',
    announce: {
      attract: 'Klar. Skann en vare for å starte.',
      basket: 'Handlekurv',
      identify: 'Skann QR-koden din eller skriv inn mobilnummeret ditt.',
      paying: 'Sender betalingsforespørsel.',
      'awaiting-approval': 'Godkjenn betalingen i appen.',
      cancelling: 'Avbryter betalingen.',
      capturing: 'Godkjent. Fullfører betalingen.',
      approved: 'Betalingen er godkjent.',
      declined: 'Betalingen ble ikke gjennomført.',
      unavailable: '{app} er midlertidig utilgjengelig.',
      maintenance: 'Kassen er ute av drift.',
      'club-checking': 'Sjekker medlemskap.',
      'club-offer': 'Bli med i kundeklubben, eller betal vanlige priser.',
      'club-consent': 'Bekreft i appen.',
      'out-of-order': 'Denne kassen kan ikke ta imot betaling nå. Spør en ansatt.',
      staff: 'Ansattmodus.',
    },
    serverError: 'Det gikk ikke. Prøv igjen.',
    phoneWait: 'Vent litt før du taster inn et nytt nummer.',
  },

  attract: {
    title: 'Skann en vare for å starte',
    steps: ['Skann varene dine', 'Vis QR-koden i {app}', 'Godkjenn på telefonen'],
    recovered: (captured, cancelled, unresolved) =>
      `Etter omstart: ${captured} betaling(er) fullført, ${cancelled} kansellert` +
      (unresolved > 0 ? `, ${unresolved} venter på svar fra {app}` : ''),
  },

  basket: {
    title: 'Handlekurv',
    items: (count) => (count === 1 ? '1 vare' : `${count} varer`),
    total: 'Å betale',
    hint: 'Skann flere varer, eller betal når du er klar.',
    empty: 'Handlekurven er tom. Skann en vare.',
    pay: 'Betal',
    startOver: 'Start på nytt',
    each: (unitPrice) => `${unitPrice}/stk.`,
    quantity: (name, count) => `${count} stk. ${name}`,
    increase: (name) => `Én til av ${name}`,
    decrease: (name) => `Én mindre av ${name}`,
    remove: (name) => `Fjern ${name}`,
  },

  identify: {
    title: 'Skann QR-koden din',
    detail: 'Åpne {app}-appen og hold den personlige QR-koden din foran skanneren.',
    toPay: 'Å betale',
    orPhone: 'Eller skriv inn mobilnummeret ditt',
    phonePlaceholder: 'Mobilnummer',
    countryCode: (code) => `Landskode +${code}. Trykk for å bytte.`,
    backspace: 'Slett siste siffer',
    send: 'Send',
    back: 'Tilbake',
    showQr: 'Vis en QR-kode du kan skanne med telefonen',
    qrNoClub: 'Medlemspriser krever din egen QR-kode eller ditt nummer.',
  },

  paying: {
    title: 'Sender betalingsforespørsel …',
    detail: 'Hold telefonen klar.',
  },

  awaitingApproval: {
    title: 'Godkjenn i {app}-appen',
    detail: 'Betalingsforespørselen er sendt til telefonen din.',
    sentTo: (customer) => `Sendt til ${customer}`,
    timeLeft: 'Tid igjen',
    cancel: 'Avbryt',
    qrTitle: 'Skann for å betale',
    qrDetail: 'Skann koden med kameraet på telefonen, eller med {app}-appen.',
    qrLabel: 'QR-kode for denne betalingen',
  },

  cancelling: {
    title: 'Avbryter betalingen …',
    detail: 'Vi sørger for at ingenting blir trukket.',
  },

  capturing: {
    title: 'Godkjent! Fullfører betalingen …',
    detail: 'Et øyeblikk, så kommer kvitteringen.',
  },

  approved: {
    title: 'Takk for handelen!',
    detail: 'Betalingen er godkjent. Kvitteringen finner du også i appen.',
    receipt: 'Kvittering',
    receiptNumber: 'Nr.',
    total: 'Totalt',
    vatIncluded: 'Herav mva.',
    vatRate: (rate) => `Mva. ${rate}`,
    till: 'Kasse',
    paidWith: (paymentType) => `Betalt med ${paymentType}`,
    paymentReference: 'Referanse',
    done: 'Ferdig',
  },

  declined: {
    reasons: {
      rejected: {
        title: 'Betalingen ble avvist',
        detail: 'Den ble avvist i appen. Ingenting er trukket, og varene ligger i handlekurven.',
      },
      expired: {
        title: 'Tiden gikk ut',
        detail: 'Betalingen ble ikke godkjent i tide. Ingenting er trukket.',
      },
      cancelled: {
        title: 'Betalingen ble avbrutt',
        detail: 'Ingenting er trukket. Varene ligger fortsatt i handlekurven.',
      },
      'unknown-customer': {
        title: 'Vi fant deg ikke i {app}',
        detail: 'Sjekk nummeret, eller skann QR-koden i appen i stedet.',
      },
      'invalid-customer': {
        title: 'QR-koden eller nummeret virket ikke',
        detail: 'Skann den personlige QR-koden i appen på nytt.',
      },
      refused: {
        title: 'Betalingen kunne ikke gjennomføres',
        detail: 'Prøv igjen, eller spør de ansatte om hjelp.',
      },
    },
    tryAgain: 'Prøv igjen',
    backToBasket: 'Tilbake til handlekurven',
  },

  maintenance: {
    title: 'Ute av drift',
    detail: 'Denne kassen er stengt en liten stund. Bruk en annen kasse, eller spør en ansatt.',
  },

  outOfOrder: {
    title: 'Denne kassen kan ikke ta imot betaling nå',
    detail: 'Spør en ansatt om hjelp, eller bruk en annen kasse.',
    forStaff: 'Til de ansatte',
    code: (code) => `Feilkode ${code}`,
  },

  unavailable: {
    title: '{app} er midlertidig utilgjengelig',
    detail: 'Handlekurven er tatt vare på, og du kan fortsatt skanne varer. Prøv igjen om litt.',
    tryAgain: 'Prøv igjen',
  },

  club: {
    checking: { title: 'Sjekker medlemskap …', detail: 'Et øyeblikk.' },
    offer: {
      title: 'Bli med i kundeklubben?',
      saves: (amount) => `Medlemmer sparer ${amount} på denne handlekurven`,
      noSaving: 'Medlemmer får egne priser på utvalgte varer.',
      detail: 'Det er gratis å bli med. Du bekrefter i {app}-appen og velger hva du deler.',
      join: 'Bli med og spar',
      skip: 'Nei takk, bare betal',
    },
    consent: {
      title: 'Bekreft i appen',
      detail: 'Vi har sendt en forespørsel til telefonen din. Sjekk at den viser denne koden:',
      code: 'Kode',
      timeLeft: 'Tid igjen',
      skip: 'Betal uten å bli med',
      notNow: 'Ikke nå',
      notice: {
        'maybe-sent':
          'En forespørsel kan være på vei til telefonen din. Viser den denne koden, vent litt — vi sjekker at den kom fram:',
        'ignore-request':
          'Forespørselen med denne koden ligger i appen, men kan ikke fullføres herfra. Avvis den i appen og betal uten å bli med.',
        'already-waiting':
          'En innloggingsforespørsel venter allerede i appen din. Svar på den der først, eller betal uten å bli med.',
      },
    },
    outcome: {
      member: 'Medlemspriser er brukt',
      joined: 'Velkommen i klubben! Medlemspriser er brukt.',
      declined: 'Ikke med i klubben. Du betaler vanlige priser.',
      timeout: 'Tiden gikk ut. Du betaler vanlige priser.',
      unavailable: 'Medlemspriser er ikke tilgjengelige akkurat nå.',
      'approval-lost':
        'Godkjenningen din ble borte på veien, så du er ikke medlem ennå. Bli med neste gang. Vanlige priser i dag.',
    },
    lineSaving: (amount) => `Medlemspris, du sparer ${amount}`,
    saved: (amount) => `Du sparte ${amount}`,
    back: 'Tilbake til handlekurven',
    loginLeftOpen: 'Ikke med i klubben: vanlige priser. Du kan se bort fra klubbforespørselen i appen.',
  },

  idle: {
    title: 'Er du fortsatt der?',
    detail: 'Handlekurven tømmes når tiden er ute.',
    secondsLeft: (seconds) => (seconds === 1 ? '1 sekund igjen' : `${seconds} sekunder igjen`),
    stillHere: 'Jeg er her fortsatt',
  },

  feedback: {
    added: (name) => `${name} er lagt i handlekurven`,
    'unknown-item': (code) =>
      code ? `Ukjent vare (${code}). Spør de ansatte.` : 'Ukjent vare. Spør de ansatte.',
    'not-recognised': () => 'Koden ble ikke gjenkjent. Prøv igjen.',
    'scan-incomplete': () => 'Skanningen ble avbrutt. Skann på nytt.',
    'scanner-layout': () => 'Skanneren har feil tastaturoppsett — spør de ansatte',
    'basket-full': () => 'Handlekurven er full',
    customer: () => 'QR-koden er lest',
    'out-of-order': () => 'Denne kassen er ute av drift. Bruk en annen kasse eller spør de ansatte.',
    ignored: () => 'Skanning er ikke mulig akkurat nå',
    'cashier-scans': () => 'Kassen skanner varene. Skann QR-koden din her når beløpet vises.',
    'staff-card-refused': (reason) =>
      nb.staff.cardRefused[reason as keyof Messages['staff']['cardRefused']] ?? nb.staff.cardRefused.forged,
  },

  training: {
    banner: 'Treningsmodus – ingen ekte betaling',
    notValid: 'TRENINGSKVITTERING – ikke en gyldig kvittering',
  },
  speech: {
    started:
      'Talemodus er på. Bruk tastene neste og forrige for å flytte deg, velg for å trykke, og tilbake for å gå tilbake. Hold taletasten inne for å høre det siste på nytt.',
    where: {
      attract: 'Startsiden.',
      basket: 'Handlekurven.',
      identify: 'Betaling.',
      paying: 'Betaling.',
      'awaiting-approval': 'Godkjenning på telefonen.',
      cancelling: 'Avbryter.',
      capturing: 'Godkjent.',
      approved: 'Kvittering.',
      declined: 'Ikke betalt.',
      unavailable: '{app} svarer ikke.',
      maintenance: 'Ute av drift.',
      'club-checking': 'Kundeklubben.',
      'club-offer': 'Kundeklubben.',
      'club-consent': 'Kundeklubben.',
      'out-of-order': 'Ute av drift.',
      staff: 'Ansattmodus.',
    },
    attract: 'Skann en vare for å starte. Strekkoden leses av skanneren under skjermen.',
    basket: {
      total: (items, amount) => `${items === 1 ? '1 vare' : `${items} varer`}. Å betale: ${amount}.`,
      empty: 'Handlekurven er tom. Skann en vare.',
      line: (quantity, name, amount) => `${quantity} stk. ${name}, ${amount}.`,
      next: 'Skann flere varer, eller trykk neste for å høre varene og komme til Betal.',
    },
    identify: {
      next: (amount) =>
        `Å betale: ${amount}. Hold den personlige QR-koden i appen foran skanneren, eller tast mobilnummeret ditt: trykk neste for å komme til sifrene, og velg for å taste.`,
      typed: (digits) => (digits ? `Tastet: ${digits}.` : 'Ingen siffer tastet.'),
    },
    posLines: 'Trykk neste for å høre varene.',
    paying: 'Sender betalingsforespørselen. Hold telefonen klar.',
    awaitingApproval: (amount, customer) =>
      `Godkjenn ${amount} i {app}-appen på telefonen din` +
      (customer ? `. Forespørselen er sendt til nummeret som slutter på ${customer}.` : '.') +
      ' Trykk tilbake for å avbryte.',
    cancelling: 'Avbryter betalingen. Ingenting blir trukket.',
    capturing: 'Godkjent. Fullfører betalingen, et øyeblikk.',
    approved: (amount, receiptNumber) =>
      `Takk for handelen! ${amount} er betalt. Kvitteringsnummer ${receiptNumber}. Kvitteringen finner du også i appen.`,
    declined: {
      reasons: {
        rejected: 'Betalingen ble avvist i appen. Ingenting er trukket.',
        expired: 'Tiden gikk ut før betalingen ble godkjent. Ingenting er trukket.',
        cancelled: 'Betalingen ble avbrutt. Ingenting er trukket.',
        'unknown-customer': 'Vi fant ikke nummeret i {app}. Sjekk nummeret og prøv igjen.',
        'invalid-customer': 'QR-koden eller nummeret virket ikke. Prøv igjen.',
        refused: 'Betalingen kunne ikke gjennomføres. Prøv igjen, eller spør en ansatt.',
      },
      next: 'Varene ligger fortsatt i handlekurven. Trykk neste for å prøve igjen.',
    },
    unavailable:
      '{app} er midlertidig utilgjengelig. Handlekurven er tatt vare på. Prøv igjen om litt, eller spør en ansatt.',
    maintenance: 'Denne kassen er stengt en liten stund. Bruk en annen kasse, eller spør en ansatt.',
    outOfOrder: 'Denne kassen kan ikke ta imot betaling nå. Spør en ansatt om hjelp.',
    club: {
      checking: 'Sjekker medlemskapet ditt, et øyeblikk.',
      offer: (saves) =>
        (saves
          ? `Bli med i kundeklubben og spar ${saves} på denne handlekurven.`
          : 'Bli med i kundeklubben for medlemspriser.') +
        ' Det er gratis. Trykk neste for å velge: bli med, eller nei takk.',
      consent: (code) =>
        `Vi har sendt en forespørsel til telefonen din. Sjekk at appen viser koden ${code}, og bekreft der.`,
      notice: {
        'maybe-sent': (code) =>
          `En forespørsel kan være på vei til telefonen din. Viser den koden ${code}, vent litt, vi sjekker at den kom fram.`,
        'ignore-request': (code) =>
          `Forespørselen med koden ${code} kan ikke fullføres herfra. Avvis den i appen, og betal uten å bli med.`,
        'already-waiting': () =>
          'En innloggingsforespørsel venter allerede i appen din. Svar på den der først, eller betal uten å bli med.',
      },
    },
    staff: 'Ansattmodus er bare for de ansatte.',
    timeLeft: (minutes, seconds) =>
      `${minutes > 0 ? `${minutes} ${minutes === 1 ? 'minutt' : 'minutter'} og ` : ''}${seconds} ${seconds === 1 ? 'sekund' : 'sekunder'} igjen.`,
    idle: (seconds) =>
      `Er du fortsatt der? Handlekurven tømmes om ${seconds} sekunder. Trykk en tast for å fortsette.`,
    button: (label) => `${label}, knapp.`,
    nothingHere: 'Ikke noe mer her.',
  },

  demo: {
    title: 'Demo',
    scanLabel: 'Skann tekst',
    scan: 'Skann',
    quickPick: 'Hurtigvalg …',
    products: 'Varer',
    customers: 'Kunder (personlig QR)',
    phone: 'Demotelefon',
    led: {
      off: 'Statuslys av',
      green: 'Statuslys grønt',
      amber: 'Statuslys gult',
      red: 'Statuslys rødt',
      blue: 'Statuslys blått',
    },
    keys: {
      title: 'Taster (talemodus)',
      key: {
        speech: 'Tale',
        next: 'Neste',
        previous: 'Forrige',
        select: 'Velg',
        back: 'Tilbake',
        'volume-up': 'Volum opp',
        'volume-down': 'Volum ned',
      },
    },
    printer: {
      title: 'Kvitteringsskriver',
      condition: {
        ready: 'klar',
        'paper-near-end': 'lite papir igjen',
        'paper-out': 'tom for papir',
        'cover-open': 'dekselet er åpent',
        offline: 'frakoblet',
      },
      set: {
        ready: 'Klar',
        'paper-near-end': 'Lite papir',
        'paper-out': 'Tom for papir',
        'cover-open': 'Åpne dekselet',
        offline: 'Koble fra',
      },
      paper: 'Papirstrimmel',
      empty: 'Ingenting skrevet ut ennå',
    },
  },

  staff: {
    title: 'Ansattmodus',
    cardRefused: {
      forged: 'Dette ansattkortet er ikke gyldig her.',
      unknown: 'Dette ansattkortet tilhører ingen ansatt på denne kiosken.',
      locked: 'Dette ansattkortet er sperret i 5 minutter etter 5 feil PIN-koder.',
      busy: 'Ansattmodus åpner når kunden har betalt ferdig.',
      off: 'Denne kiosken har ingen ansattmodus.',
    },
    pinTitle: (name) => `PIN-kode for ${name}`,
    pinDetail: 'Tast PIN-koden og trykk Logg inn.',
    pinLabel: 'PIN-kode',
    attemptsLeft: (count) => (count === 1 ? '1 forsøk igjen' : `${count} forsøk igjen`),
    wrongPin: (count) =>
      count === 1
        ? 'Feil PIN-kode. 1 forsøk igjen før kortet sperres.'
        : `Feil PIN-kode. ${count} forsøk igjen.`,
    logIn: 'Logg inn',
    backspace: 'Slett',
    cancel: 'Avbryt',
    loggedInAs: (name) => `Innlogget: ${name}`,
    xReport: 'X-rapport',
    zReport: 'Z-rapport (avslutt dagen)',
    copy: 'Kopi av siste kvittering',
    returnSale: 'Retur av et salg',
    training: (on) => (on ? 'Treningsmodus: slå av' : 'Treningsmodus: slå på'),
    outOfOrder: (on) => (on ? 'Ute av drift: slå av' : 'Ute av drift: slå på'),
    trainingOn: 'Treningsmodus er på: kvitteringer er ikke gyldige kvitteringer.',
    outOfOrderOn: 'Kiosken er ute av drift for kunder.',
    logOut: 'Logg ut',
    menu: 'Tilbake til menyen',
    findTitle: 'Retur av et salg',
    findDetail: 'Skann strekkoden på kvitteringen, eller tast kvitteringsnummeret.',
    receiptNumber: 'Kvitteringsnummer',
    find: 'Finn',
    pickTitle: (receiptNumber) => `Kvittering ${receiptNumber}: hva kommer tilbake?`,
    refundable: (amount) => `Høyst ${amount} kan betales tilbake.`,
    returnable: (count) => `${count} kan returneres`,
    increase: (name) => `En ${name} til tilbake`,
    decrease: (name) => `En ${name} mindre tilbake`,
    refundTotal: (amount) => `Tilbakebetal ${amount}`,
    confirmReturn: 'Betal tilbake til kunden',
    copyMark: 'KOPI',
    trainingMark: 'TRENING – ikke gyldig kvittering',
    returnOf: (receiptNumber) => `Retur av kvittering ${receiptNumber}`,
    total: 'Totalt',
    vat: (rate) => `MVA ${rate}`,
    refundedWith: (type) => `Tilbakebetalt med ${type}`,
  },
};
