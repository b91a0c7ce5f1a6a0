import type { Messages } from './messages.js';

export const nn: Messages = {
  locale: ['nn-NO', 'nb-NO'],
  languageName: 'Nynorsk',

  app: {
    tagline: 'Betal med {app}',
    language: 'Språk',
    largeText: 'Stor tekst',
    connecting: 'Startar opp …',
    reconnecting: 'Koplar til igjen …',
    reconnectingDetail: 'Det tek berre eit augeblink.',
    announce: {
      attract: 'Klar. Skann ei vare for å starte.',
      basket: 'Handlekorg',
      identify: 'Skann QR-koden din eller skriv inn mobilnummeret ditt.',
      paying: 'Sender betalingsførespurnad.',
      'awaiting-approval': 'Godkjenn betalinga i appen.',
      cancelling: 'Avbryt betalinga.',
      capturing: 'Godkjend. Fullfører betalinga.',
      approved: 'Betalinga er godkjend.',
      declined: 'Betalinga vart ikkje gjennomført.',
      unavailable: '{app} er mellombels utilgjengeleg.',
      maintenance: 'Kassa er ute av drift.',
      'club-checking': 'Sjekkar medlemskap.',
      'club-offer': 'Bli med i kundeklubben, eller betal vanlege prisar.',
      'club-consent': 'Stadfest i appen.',
      'out-of-order': 'Denne kassa kan ikkje ta imot betaling no. Spør ein tilsett.',
      staff: 'Tilsettmodus.',
    },
    serverError: 'Det gjekk ikkje. Prøv igjen.',
    phoneWait: 'Vent litt før du tastar inn eit nytt nummer.',
  },

  attract: {
    title: 'Skann ei vare for å starte',
    steps: ['Skann varene dine', 'Vis QR-koden i {app}', 'Godkjenn på telefonen'],
    recovered: (captured, cancelled, unresolved) =>
      `Etter omstart: ${captured} betaling(ar) fullført, ${cancelled} kansellert` +
      (unresolved > 0 ? `, ${unresolved} ventar på svar frå {app}` : ''),
  },

  basket: {
    title: 'Handlekorg',
    items: (count) => (count === 1 ? '1 vare' : `${count} varer`),
    total: 'Å betale',
    hint: 'Skann fleire varer, eller betal når du er klar.',
    empty: 'Handlekorga er tom. Skann ei vare.',
    pay: 'Betal',
    startOver: 'Start på nytt',
    each: (unitPrice) => `${unitPrice}/stk.`,
    quantity: (name, count) => `${count} stk. ${name}`,
    increase: (name) => `Ein til av ${name}`,
    decrease: (name) => `Ein mindre av ${name}`,
    remove: (name) => `Fjern ${name}`,
  },

  identify: {
    title: 'Skann QR-koden din',
    detail: 'Opne {app}-appen og hald den personlege QR-koden din framfor skannaren.',
    toPay: 'Å betale',
    orPhone: 'Eller skriv inn mobilnummeret ditt',
    phonePlaceholder: 'Mobilnummer',
    countryCode: (code) => `Landskode +${code}. Trykk for å byte.`,
    backspace: 'Slett siste siffer',
    send: 'Send',
    back: 'Tilbake',
    showQr: 'Vis ein QR-kode du kan skanne med telefonen',
    qrNoClub: 'Medlemsprisar krev din eigen QR-kode eller nummeret ditt.',
  },

  paying: {
    title: 'Sender betalingsførespurnad …',
    detail: 'Ha telefonen klar.',
  },

  awaitingApproval: {
    title: 'Godkjenn i {app}-appen',
    detail: 'Betalingsførespurnaden er send til telefonen din.',
    sentTo: (customer) => `Send til ${customer}`,
    timeLeft: 'Tid att',
    cancel: 'Avbryt',
    qrTitle: 'Skann for å betale',
    qrDetail: 'Skann koden med kameraet på telefonen, eller med {app}-appen.',
    qrLabel: 'QR-kode for denne betalinga',
  },

  cancelling: {
    title: 'Avbryt betalinga …',
    detail: 'Vi syter for at ingenting blir trekt.',
  },

  capturing: {
    title: 'Godkjend! Fullfører betalinga …',
    detail: 'Eit augeblink, så kjem kvitteringa.',
  },

  approved: {
    title: 'Takk for handelen!',
    detail: 'Betalinga er godkjend. Kvitteringa finn du òg i appen.',
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
        title: 'Betalinga vart avvist',
        detail: 'Ho vart avvist i appen. Ingenting er trekt, og varene ligg i handlekorga.',
      },
      expired: {
        title: 'Tida gjekk ut',
        detail: 'Betalinga vart ikkje godkjend i tide. Ingenting er trekt.',
      },
      cancelled: {
        title: 'Betalinga vart avbroten',
        detail: 'Ingenting er trekt. Varene ligg framleis i handlekorga.',
      },
      'unknown-customer': {
        title: 'Vi fann deg ikkje i {app}',
        detail: 'Sjekk nummeret, eller skann QR-koden i appen i staden.',
      },
      'invalid-customer': {
        title: 'QR-koden eller nummeret verka ikkje',
        detail: 'Skann den personlege QR-koden i appen på nytt.',
      },
      refused: {
        title: 'Betalinga kunne ikkje gjennomførast',
        detail: 'Prøv igjen, eller spør dei tilsette om hjelp.',
      },
    },
    tryAgain: 'Prøv igjen',
    backToBasket: 'Tilbake til handlekorga',
  },

  maintenance: {
    title: 'Ute av drift',
    detail: 'Denne kassa er stengd ei lita stund. Bruk ei anna kasse, eller spør ein tilsett.',
  },

  outOfOrder: {
    title: 'Denne kassa kan ikkje ta imot betaling no',
    detail: 'Spør ein tilsett om hjelp, eller bruk ei anna kasse.',
    forStaff: 'Til dei tilsette',
    code: (code) => `Feilkode ${code}`,
  },

  unavailable: {
    title: '{app} er mellombels utilgjengeleg',
    detail: 'Handlekorga er teken vare på, og du kan framleis skanne varer. Prøv igjen om litt.',
    tryAgain: 'Prøv igjen',
  },

  club: {
    checking: { title: 'Sjekkar medlemskap …', detail: 'Eit augeblink.' },
    offer: {
      title: 'Bli med i kundeklubben?',
      saves: (amount) => `Medlemmer sparar ${amount} på denne handlekorga`,
      noSaving: 'Medlemmer får eigne prisar på utvalde varer.',
      detail: 'Det er gratis å bli med. Du stadfestar i {app}-appen og vel kva du deler.',
      join: 'Bli med og spar',
      skip: 'Nei takk, berre betal',
    },
    consent: {
      title: 'Stadfest i appen',
      detail: 'Vi har sendt ein førespurnad til telefonen din. Sjekk at han viser denne koden:',
      code: 'Kode',
      timeLeft: 'Tid att',
      skip: 'Betal utan å bli med',
      notNow: 'Ikkje no',
      notice: {
        'maybe-sent':
          'Ein førespurnad kan vere på veg til telefonen din. Viser han denne koden, vent litt — vi sjekkar at han kom fram:',
        'ignore-request':
          'Førespurnaden med denne koden ligg i appen, men kan ikkje fullførast herifrå. Avvis han i appen og betal utan å bli med.',
        'already-waiting':
          'Ein innloggingsførespurnad ventar alt i appen din. Svar på han der først, eller betal utan å bli med.',
      },
    },
    outcome: {
      member: 'Medlemsprisar er brukte',
      joined: 'Velkomen i klubben! Medlemsprisar er brukte.',
      declined: 'Ikkje med i klubben. Du betaler vanlege prisar.',
      timeout: 'Tida gjekk ut. Du betaler vanlege prisar.',
      unavailable: 'Medlemsprisar er ikkje tilgjengelege akkurat no.',
      'approval-lost':
        'Godkjenninga di vart borte på vegen, så du er ikkje medlem enno. Bli med neste gong. Vanlege prisar i dag.',
    },
    lineSaving: (amount) => `Medlemspris, du sparar ${amount}`,
    saved: (amount) => `Du sparte ${amount}`,
    back: 'Tilbake til handlekorga',
    loginLeftOpen: 'Ikkje med i klubben: vanlege prisar. Du kan sjå bort frå klubbførespurnaden i appen.',
  },

  idle: {
    title: 'Er du her framleis?',
    detail: 'Handlekorga blir tømd når tida er ute.',
    secondsLeft: (seconds) => (seconds === 1 ? '1 sekund att' : `${seconds} sekund att`),
    stillHere: 'Eg er her framleis',
  },

  feedback: {
    added: (name) => `${name} er lagd i handlekorga`,
    'unknown-item': (code) =>
      code ? `Ukjend vare (${code}). Spør dei tilsette.` : 'Ukjend vare. Spør dei tilsette.',
    'not-recognised': () => 'Koden vart ikkje kjend att. Prøv igjen.',
    'scan-incomplete': () => 'Skanninga vart avbroten. Skann på nytt.',
    'scanner-layout': () => 'Skannaren har feil tastaturoppsett — spør dei tilsette',
    'basket-full': () => 'Handlekorga er full',
    customer: () => 'QR-koden er lesen',
    'out-of-order': () => 'Denne kassa er ute av drift. Bruk ei anna kasse eller spør dei tilsette.',
    ignored: () => 'Skanning er ikkje mogleg akkurat no',
    'cashier-scans': () => 'Kassa skannar varene. Skann QR-koden din her når beløpet blir vist.',
    'staff-card-refused': (reason) =>
      nn.staff.cardRefused[reason as keyof Messages['staff']['cardRefused']] ?? nn.staff.cardRefused.forged,
  },

  training: {
    banner: 'Treningsmodus – inga ekte betaling',
    notValid: 'TRENINGSKVITTERING – ikkje ei gyldig kvittering',
  },
  speech: {
    started:
      'Talemodus er på. Bruk tastane neste og førre for å flytte deg, vel for å trykkje, og tilbake for å gå tilbake. Hald taletasten inne for å høyre det siste på nytt.',
    where: {
      attract: 'Startsida.',
      basket: 'Handlekorga.',
      identify: 'Betaling.',
      paying: 'Betaling.',
      'awaiting-approval': 'Godkjenning på telefonen.',
      cancelling: 'Avbryt.',
      capturing: 'Godkjend.',
      approved: 'Kvittering.',
      declined: 'Ikkje betalt.',
      unavailable: '{app} svarar ikkje.',
      maintenance: 'Ute av drift.',
      'club-checking': 'Kundeklubben.',
      'club-offer': 'Kundeklubben.',
      'club-consent': 'Kundeklubben.',
      'out-of-order': 'Ute av drift.',
      staff: 'Tilsettmodus.',
    },
    attract: 'Skann ei vare for å starte. Strekkoden blir lesen av skannaren under skjermen.',
    basket: {
      total: (items, amount) => `${items === 1 ? '1 vare' : `${items} varer`}. Å betale: ${amount}.`,
      empty: 'Handlekorga er tom. Skann ei vare.',
      line: (quantity, name, amount) => `${quantity} stk. ${name}, ${amount}.`,
      next: 'Skann fleire varer, eller trykk neste for å høyre varene og kome til Betal.',
    },
    identify: {
      next: (amount) =>
        `Å betale: ${amount}. Hald den personlege QR-koden i appen framfor skannaren, eller tast mobilnummeret ditt: trykk neste for å kome til sifra, og vel for å taste.`,
      typed: (digits) => (digits ? `Tasta: ${digits}.` : 'Ingen siffer tasta.'),
    },
    posLines: 'Trykk neste for å høyre varene.',
    paying: 'Sender betalingsførespurnaden. Ha telefonen klar.',
    awaitingApproval: (amount, customer) =>
      `Godkjenn ${amount} i {app}-appen på telefonen din` +
      (customer ? `. Førespurnaden er send til nummeret som sluttar på ${customer}.` : '.') +
      ' Trykk tilbake for å avbryte.',
    cancelling: 'Avbryt betalinga. Ingenting blir trekt.',
    capturing: 'Godkjend. Fullfører betalinga, eit augeblink.',
    approved: (amount, receiptNumber) =>
      `Takk for handelen! ${amount} er betalt. Kvitteringsnummer ${receiptNumber}. Kvitteringa finn du òg i appen.`,
    declined: {
      reasons: {
        rejected: 'Betalinga vart avvist i appen. Ingenting er trekt.',
        expired: 'Tida gjekk ut før betalinga vart godkjend. Ingenting er trekt.',
        cancelled: 'Betalinga vart avbroten. Ingenting er trekt.',
        'unknown-customer': 'Vi fann ikkje nummeret i {app}. Sjekk nummeret og prøv igjen.',
        'invalid-customer': 'QR-koden eller nummeret verka ikkje. Prøv igjen.',
        refused: 'Betalinga kunne ikkje gjennomførast. Prøv igjen, eller spør ein tilsett.',
      },
      next: 'Varene ligg framleis i handlekorga. Trykk neste for å prøve igjen.',
    },
    unavailable:
      '{app} er mellombels utilgjengeleg. Handlekorga er teken vare på. Prøv igjen om litt, eller spør ein tilsett.',
    maintenance: 'Denne kassa er stengd ei lita stund. Bruk ei anna kasse, eller spør ein tilsett.',
    outOfOrder: 'Denne kassa kan ikkje ta imot betaling no. Spør ein tilsett om hjelp.',
    club: {
      checking: 'Sjekkar medlemskapet ditt, eit augeblink.',
      offer: (saves) =>
        (saves
          ? `Bli med i kundeklubben og spar ${saves} på denne handlekorga.`
          : 'Bli med i kundeklubben for medlemsprisar.') +
        ' Det er gratis. Trykk neste for å velje: bli med, eller nei takk.',
      consent: (code) =>
        `Vi har sendt ein førespurnad til telefonen din. Sjekk at appen viser koden ${code}, og stadfest der.`,
      notice: {
        'maybe-sent': (code) =>
          `Ein førespurnad kan vere på veg til telefonen din. Viser han koden ${code}, vent litt, vi sjekkar at han kom fram.`,
        'ignore-request': (code) =>
          `Førespurnaden med koden ${code} kan ikkje fullførast herifrå. Avvis han i appen, og betal utan å bli med.`,
        'already-waiting': () =>
          'Ein innloggingsførespurnad ventar alt i appen din. Svar på han der først, eller betal utan å bli med.',
      },
    },
    staff: 'Tilsettmodus er berre for dei tilsette.',
    timeLeft: (minutes, seconds) => `${minutes > 0 ? `${minutes} minutt og ` : ''}${seconds} sekund att.`,
    idle: (seconds) =>
      `Er du her framleis? Handlekorga blir tømd om ${seconds} sekund. Trykk ein tast for å halde fram.`,
    button: (label) => `${label}, knapp.`,
    nothingHere: 'Ikkje noko meir her.',
  },

  demo: {
    title: 'Demo',
    scanLabel: 'Skann tekst',
    scan: 'Skann',
    quickPick: 'Snøggval …',
    products: 'Varer',
    customers: 'Kundar (personleg QR)',
    phone: 'Demotelefon',
    led: {
      off: 'Statuslys av',
      green: 'Statuslys grønt',
      amber: 'Statuslys gult',
      red: 'Statuslys raudt',
      blue: 'Statuslys blått',
    },
    keys: {
      title: 'Tastar (talemodus)',
      key: {
        speech: 'Tale',
        next: 'Neste',
        previous: 'Førre',
        select: 'Vel',
        back: 'Tilbake',
        'volume-up': 'Volum opp',
        'volume-down': 'Volum ned',
      },
    },
    printer: {
      title: 'Kvitteringsskrivar',
      condition: {
        ready: 'klar',
        'paper-near-end': 'lite papir att',
        'paper-out': 'tom for papir',
        'cover-open': 'lokket er ope',
        offline: 'fråkopla',
      },
      set: {
        ready: 'Klar',
        'paper-near-end': 'Lite papir',
        'paper-out': 'Tom for papir',
        'cover-open': 'Opne lokket',
        offline: 'Kople frå',
      },
      paper: 'Papirstrimmel',
      empty: 'Ingenting skrive ut enno',
    },
  },

  staff: {
    title: 'Tilsettmodus',
    cardRefused: {
      forged: 'Dette tilsettkortet er ikkje gyldig her.',
      unknown: 'Dette tilsettkortet høyrer ikkje til nokon tilsett på denne kiosken.',
      locked: 'Dette tilsettkortet er sperra i 5 minutt etter 5 feil PIN-kodar.',
      busy: 'Tilsettmodus opnar når kunden har betalt ferdig.',
      off: 'Denne kiosken har ingen tilsettmodus.',
    },
    pinTitle: (name) => `PIN-kode for ${name}`,
    pinDetail: 'Tast PIN-koden og trykk Logg inn.',
    pinLabel: 'PIN-kode',
    attemptsLeft: (count) => (count === 1 ? '1 forsøk att' : `${count} forsøk att`),
    wrongPin: (count) =>
      count === 1
        ? 'Feil PIN-kode. 1 forsøk att før kortet blir sperra.'
        : `Feil PIN-kode. ${count} forsøk att.`,
    logIn: 'Logg inn',
    backspace: 'Slett',
    cancel: 'Avbryt',
    loggedInAs: (name) => `Innlogga: ${name}`,
    xReport: 'X-rapport',
    zReport: 'Z-rapport (avslutt dagen)',
    copy: 'Kopi av siste kvittering',
    returnSale: 'Retur av eit sal',
    training: (on) => (on ? 'Treningsmodus: slå av' : 'Treningsmodus: slå på'),
    outOfOrder: (on) => (on ? 'Ute av drift: slå av' : 'Ute av drift: slå på'),
    trainingOn: 'Treningsmodus er på: kvitteringar er ikkje gyldige kvitteringar.',
    outOfOrderOn: 'Kiosken er ute av drift for kundar.',
    logOut: 'Logg ut',
    menu: 'Tilbake til menyen',
    findTitle: 'Retur av eit sal',
    findDetail: 'Skann strekkoden på kvitteringa, eller tast kvitteringsnummeret.',
    receiptNumber: 'Kvitteringsnummer',
    find: 'Finn',
    pickTitle: (receiptNumber) => `Kvittering ${receiptNumber}: kva kjem tilbake?`,
    refundable: (amount) => `Høgst ${amount} kan betalast tilbake.`,
    returnable: (count) => `${count} kan returnerast`,
    increase: (name) => `Ein ${name} til tilbake`,
    decrease: (name) => `Ein ${name} mindre tilbake`,
    refundTotal: (amount) => `Tilbakebetal ${amount}`,
    confirmReturn: 'Betal tilbake til kunden',
    copyMark: 'KOPI',
    trainingMark: 'TRENING – ikkje gyldig kvittering',
    returnOf: (receiptNumber) => `Retur av kvittering ${receiptNumber}`,
    total: 'Totalt',
    vat: (rate) => `MVA ${rate}`,
    refundedWith: (type) => `Tilbakebetalt med ${type}`,
  },
};
