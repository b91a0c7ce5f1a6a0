import type { Messages } from './messages.js';

export const da: Messages = {
  locale: 'da-DK',
  languageName: 'Dansk',

  app: {
    tagline: 'Betal med {app}',
    language: 'Sprog',
    largeText: 'Stor tekst',
    connecting: 'Starter op …',
    reconnecting: 'Forbinder igen …',
    reconnectingDetail: 'Det tager kun et øjeblik.',
    announce: {
      attract: 'Klar. Scan en vare for at starte.',
      basket: 'Kurv',
      identify: 'Scan din QR-kode, eller indtast dit mobilnummer.',
      paying: 'Sender betalingsanmodning.',
      'awaiting-approval': 'Godkend betalingen i appen.',
      cancelling: 'Annullerer betalingen.',
      capturing: 'Godkendt. Gennemfører betalingen.',
      approved: 'Betalingen er godkendt.',
      declined: 'Betalingen blev ikke gennemført.',
      unavailable: '{app} er midlertidigt utilgængelig.',
      maintenance: 'Kassen er ude af drift.',
      'club-checking': 'Tjekker medlemskab.',
      'club-offer': 'Bliv medlem af kundeklubben, eller betal almindelige priser.',
      'club-consent': 'Bekræft i appen.',
      'out-of-order': 'Denne kasse kan ikke tage imod betaling lige nu. Spørg en medarbejder.',
      staff: 'Personaletilstand.',
    },
    serverError: 'Det lykkedes ikke. Prøv igen.',
    phoneWait: 'Vent lidt, før du indtaster et nyt nummer.',
  },

  attract: {
    title: 'Scan en vare for at starte',
    steps: ['Scan dine varer', 'Vis QR-koden i {app}', 'Godkend på telefonen'],
    recovered: (captured, cancelled, unresolved) =>
      `Efter genstart: ${captured} betaling(er) gennemført, ${cancelled} annulleret` +
      (unresolved > 0 ? `, ${unresolved} venter på svar fra {app}` : ''),
  },

  basket: {
    title: 'Kurv',
    items: (count) => (count === 1 ? '1 vare' : `${count} varer`),
    total: 'At betale',
    hint: 'Scan flere varer, eller betal, når du er klar.',
    empty: 'Kurven er tom. Scan en vare.',
    pay: 'Betal',
    startOver: 'Start forfra',
    each: (unitPrice) => `${unitPrice}/stk.`,
    quantity: (name, count) => `${count} stk. ${name}`,
    increase: (name) => `Én mere af ${name}`,
    decrease: (name) => `Én færre af ${name}`,
    remove: (name) => `Fjern ${name}`,
  },

  identify: {
    title: 'Scan din QR-kode',
    detail: 'Åbn {app}-appen, og hold din personlige QR-kode op foran scanneren.',
    toPay: 'At betale',
    orPhone: 'Eller indtast dit mobilnummer',
    phonePlaceholder: 'Mobilnummer',
    countryCode: (code) => `Landekode +${code}. Tryk for at skifte.`,
    backspace: 'Slet sidste ciffer',
    send: 'Send',
    back: 'Tilbage',
    showQr: 'Vis en QR-kode, du kan scanne med telefonen',
    qrNoClub: 'Medlemspriser kræver din egen QR-kode eller dit nummer.',
  },

  paying: {
    title: 'Sender betalingsanmodning …',
    detail: 'Hav telefonen klar.',
  },

  awaitingApproval: {
    title: 'Godkend i {app}-appen',
    detail: 'Betalingsanmodningen er sendt til din telefon.',
    sentTo: (customer) => `Sendt til ${customer}`,
    timeLeft: 'Tid tilbage',
    cancel: 'Annuller',
    qrTitle: 'Scan for at betale',
    qrDetail: 'Scan koden med telefonens kamera eller med {app}-appen.',
    qrLabel: 'QR-kode til denne betaling',
  },

  cancelling: {
    title: 'Annullerer betalingen …',
    detail: 'Vi sørger for, at der ikke bliver trukket noget.',
  },

  capturing: {
    title: 'Godkendt! Gennemfører betalingen …',
    detail: 'Et øjeblik, så kommer kvitteringen.',
  },

  approved: {
    title: 'Tak for handlen!',
    detail: 'Betalingen er godkendt. Du finder også kvitteringen i appen.',
    receipt: 'Kvittering',
    receiptNumber: 'Nr.',
    total: 'I alt',
    vatIncluded: 'Heraf moms',
    vatRate: (rate) => `Moms ${rate}`,
    till: 'Kasse',
    paidWith: (paymentType) => `Betalt med ${paymentType}`,
    paymentReference: 'Reference',
    done: 'Færdig',
  },

  declined: {
    reasons: {
      rejected: {
        title: 'Betalingen blev afvist',
        detail: 'Den blev afvist i appen. Der er ikke trukket noget, og varerne ligger stadig i kurven.',
      },
      expired: {
        title: 'Tiden løb ud',
        detail: 'Betalingen blev ikke godkendt i tide. Der er ikke trukket noget.',
      },
      cancelled: {
        title: 'Betalingen blev annulleret',
        detail: 'Der er ikke trukket noget. Varerne ligger stadig i kurven.',
      },
      'unknown-customer': {
        title: 'Vi kunne ikke finde dig i {app}',
        detail: 'Tjek nummeret, eller scan QR-koden i appen i stedet.',
      },
      'invalid-customer': {
        title: 'QR-koden eller nummeret virkede ikke',
        detail: 'Scan den personlige QR-kode i appen igen.',
      },
      refused: {
        title: 'Betalingen kunne ikke gennemføres',
        detail: 'Prøv igen, eller spørg personalet om hjælp.',
      },
    },
    tryAgain: 'Prøv igen',
    backToBasket: 'Tilbage til kurven',
  },

  maintenance: {
    title: 'Ude af drift',
    detail: 'Denne kasse er lukket lidt. Brug en anden kasse, eller spørg en medarbejder.',
  },

  outOfOrder: {
    title: 'Denne kasse kan ikke tage imod betaling lige nu',
    detail: 'Spørg en medarbejder om hjælp, eller brug en anden kasse.',
    forStaff: 'Til personalet',
    code: (code) => `Fejlkode ${code}`,
  },

  unavailable: {
    title: '{app} er midlertidigt utilgængelig',
    detail: 'Din kurv er gemt, og du kan stadig scanne varer. Prøv igen om lidt.',
    tryAgain: 'Prøv igen',
  },

  club: {
    checking: { title: 'Tjekker medlemskab …', detail: 'Et øjeblik.' },
    offer: {
      title: 'Vil du være med i kundeklubben?',
      saves: (amount) => `Medlemmer sparer ${amount} på denne kurv`,
      noSaving: 'Medlemmer får særpriser på udvalgte varer.',
      detail: 'Det er gratis at blive medlem. Du bekræfter i {app}-appen og vælger selv, hvad du deler.',
      join: 'Bliv medlem, og spar',
      skip: 'Nej tak, bare betal',
    },
    consent: {
      title: 'Bekræft i appen',
      detail: 'Vi har sendt en anmodning til din telefon. Tjek, at den viser denne kode:',
      code: 'Kode',
      timeLeft: 'Tid tilbage',
      skip: 'Betal uden at blive medlem',
      notNow: 'Ikke nu',
      notice: {
        'maybe-sent':
          'En anmodning er måske på vej til din telefon. Viser den denne kode, så vent lidt – vi tjekker, at den er kommet frem:',
        'ignore-request':
          'Anmodningen med denne kode ligger i appen, men kan ikke gennemføres herfra. Afvis den i appen, og betal uden at blive medlem.',
        'already-waiting':
          'Der venter allerede en login-anmodning i din app. Svar på den først, eller betal uden at blive medlem.',
      },
    },
    outcome: {
      member: 'Medlemspriser er brugt',
      joined: 'Velkommen i klubben! Medlemspriser er brugt.',
      declined: 'Ikke medlem af klubben. Du betaler almindelige priser.',
      timeout: 'Tiden løb ud. Du betaler almindelige priser.',
      unavailable: 'Medlemspriser er ikke tilgængelige lige nu.',
      'approval-lost':
        'Din godkendelse gik tabt undervejs, så du er ikke medlem endnu. Bliv medlem næste gang. Almindelige priser i dag.',
    },
    lineSaving: (amount) => `Medlemspris, du sparer ${amount}`,
    saved: (amount) => `Du sparede ${amount}`,
    back: 'Tilbage til kurven',
    loginLeftOpen: 'Ikke medlem af klubben: almindelige priser. Du kan se bort fra klubanmodningen i appen.',
  },

  idle: {
    title: 'Er du her stadig?',
    detail: 'Kurven tømmes, når tiden er gået.',
    secondsLeft: (seconds) => (seconds === 1 ? '1 sekund tilbage' : `${seconds} sekunder tilbage`),
    stillHere: 'Jeg er her stadig',
  },

  feedback: {
    added: (name) => `${name} er lagt i kurven`,
    'unknown-item': (code) =>
      code ? `Ukendt vare (${code}). Spørg personalet.` : 'Ukendt vare. Spørg personalet.',
    'not-recognised': () => 'Koden blev ikke genkendt. Prøv igen.',
    'scan-incomplete': () => 'Scanningen blev afbrudt. Scan igen.',
    'scanner-layout': () => 'Scanneren har forkert tastaturlayout – spørg personalet',
    'basket-full': () => 'Kurven er fuld',
    customer: () => 'QR-koden er læst',
    'out-of-order': () => 'Denne kasse er ude af drift. Brug en anden kasse, eller spørg personalet.',
    ignored: () => 'Der kan ikke scannes lige nu',
    'cashier-scans': () => 'Kassen scanner varerne. Scan din QR-kode her, når beløbet vises.',
    'staff-card-refused': (reason) =>
      da.staff.cardRefused[reason as keyof Messages['staff']['cardRefused']] ?? da.staff.cardRefused.forged,
  },

  training: {
    banner: 'Træningstilstand – ingen rigtig betaling',
    notValid: 'TRÆNINGSKVITTERING – ikke en gyldig kvittering',
  },
  speech: {
    started:
      'Talemodus er slået til. Brug tasterne næste og forrige til at flytte dig, vælg til at trykke, og tilbage til at gå tilbage. Hold taletasten inde for at høre det sidste igen.',
    where: {
      attract: 'Startsiden.',
      basket: 'Kurven.',
      identify: 'Betaling.',
      paying: 'Betaling.',
      'awaiting-approval': 'Godkendelse på telefonen.',
      cancelling: 'Annullerer.',
      capturing: 'Godkendt.',
      approved: 'Kvittering.',
      declined: 'Ikke betalt.',
      unavailable: '{app} svarer ikke.',
      maintenance: 'Ude af drift.',
      'club-checking': 'Kundeklubben.',
      'club-offer': 'Kundeklubben.',
      'club-consent': 'Kundeklubben.',
      'out-of-order': 'Ude af drift.',
      staff: 'Personaletilstand.',
    },
    attract: 'Scan en vare for at starte. Scanneren under skærmen læser stregkoden.',
    basket: {
      total: (items, amount) => `${items === 1 ? '1 vare' : `${items} varer`}. At betale: ${amount}.`,
      empty: 'Kurven er tom. Scan en vare.',
      line: (quantity, name, amount) => `${quantity} stk. ${name}, ${amount}.`,
      next: 'Scan flere varer, eller tryk næste for at høre varerne og komme til Betal.',
    },
    identify: {
      next: (amount) =>
        `At betale: ${amount}. Hold den personlige QR-kode i appen op foran scanneren, eller indtast dit mobilnummer: tryk næste for at komme til tallene, og vælg for at indtaste.`,
      typed: (digits) => (digits ? `Indtastet: ${digits}.` : 'Ingen tal indtastet.'),
    },
    posLines: 'Tryk næste for at høre varerne.',
    paying: 'Sender betalingsanmodningen. Hav telefonen klar.',
    awaitingApproval: (amount, customer) =>
      `Godkend ${amount} i {app}-appen på din telefon` +
      (customer ? `. Anmodningen er sendt til nummeret, der slutter på ${customer}.` : '.') +
      ' Tryk tilbage for at annullere.',
    cancelling: 'Annullerer betalingen. Der bliver ikke trukket noget.',
    capturing: 'Godkendt. Gennemfører betalingen, et øjeblik.',
    approved: (amount, receiptNumber) =>
      `Tak for handlen! ${amount} er betalt. Kvitteringsnummer ${receiptNumber}. Du finder også kvitteringen i appen.`,
    declined: {
      reasons: {
        rejected: 'Betalingen blev afvist i appen. Der er ikke trukket noget.',
        expired: 'Tiden løb ud, før betalingen blev godkendt. Der er ikke trukket noget.',
        cancelled: 'Betalingen blev annulleret. Der er ikke trukket noget.',
        'unknown-customer': 'Vi kunne ikke finde nummeret i {app}. Tjek nummeret, og prøv igen.',
        'invalid-customer': 'QR-koden eller nummeret virkede ikke. Prøv igen.',
        refused: 'Betalingen kunne ikke gennemføres. Prøv igen, eller spørg en medarbejder.',
      },
      next: 'Varerne ligger stadig i kurven. Tryk næste for at prøve igen.',
    },
    unavailable:
      '{app} er midlertidigt utilgængelig. Din kurv er gemt. Prøv igen om lidt, eller spørg en medarbejder.',
    maintenance: 'Denne kasse er lukket lidt. Brug en anden kasse, eller spørg en medarbejder.',
    outOfOrder: 'Denne kasse kan ikke tage imod betaling lige nu. Spørg en medarbejder om hjælp.',
    club: {
      checking: 'Tjekker dit medlemskab, et øjeblik.',
      offer: (saves) =>
        (saves
          ? `Bliv medlem af kundeklubben, og spar ${saves} på denne kurv.`
          : 'Bliv medlem af kundeklubben, og få medlemspriser.') +
        ' Det er gratis. Tryk næste for at vælge: bliv medlem, eller nej tak.',
      consent: (code) =>
        `Vi har sendt en anmodning til din telefon. Tjek, at appen viser koden ${code}, og bekræft der.`,
      notice: {
        'maybe-sent': (code) =>
          `En anmodning er måske på vej til din telefon. Viser den koden ${code}, så vent lidt, mens vi tjekker, at den er kommet frem.`,
        'ignore-request': (code) =>
          `Anmodningen med koden ${code} kan ikke gennemføres herfra. Afvis den i appen, og betal uden at blive medlem.`,
        'already-waiting': () =>
          'Der venter allerede en login-anmodning i din app. Svar på den først, eller betal uden at blive medlem.',
      },
    },
    staff: 'Personaletilstand er kun for personalet.',
    timeLeft: (minutes, seconds) =>
      `${minutes > 0 ? `${minutes} ${minutes === 1 ? 'minut' : 'minutter'} og ` : ''}${seconds} ${seconds === 1 ? 'sekund' : 'sekunder'} tilbage.`,
    idle: (seconds) =>
      `Er du her stadig? Kurven tømmes om ${seconds} sekunder. Tryk på en tast for at fortsætte.`,
    button: (label) => `${label}, knap.`,
    nothingHere: 'Ikke mere her.',
  },

  demo: {
    title: 'Demo',
    scanLabel: 'Scan tekst',
    scan: 'Scan',
    quickPick: 'Hurtigvalg …',
    products: 'Varer',
    customers: 'Kunder (personlig QR)',
    phone: 'Demotelefon',
    led: {
      off: 'Statuslys slukket',
      green: 'Statuslys grønt',
      amber: 'Statuslys gult',
      red: 'Statuslys rødt',
      blue: 'Statuslys blåt',
    },
    keys: {
      title: 'Taster (taletilstand)',
      key: {
        speech: 'Tale',
        next: 'Næste',
        previous: 'Forrige',
        select: 'Vælg',
        back: 'Tilbage',
        'volume-up': 'Lydstyrke op',
        'volume-down': 'Lydstyrke ned',
      },
    },
    printer: {
      title: 'Kvitteringsprinter',
      condition: {
        ready: 'klar',
        'paper-near-end': 'næsten tom for papir',
        'paper-out': 'tom for papir',
        'cover-open': 'låget er åbent',
        offline: 'frakoblet',
      },
      set: {
        ready: 'Klar',
        'paper-near-end': 'Lidt papir',
        'paper-out': 'Tom for papir',
        'cover-open': 'Åbn låget',
        offline: 'Frakobl',
      },
      paper: 'Papirstrimmel',
      empty: 'Intet udskrevet endnu',
    },
  },

  staff: {
    title: 'Personaletilstand',
    cardRefused: {
      forged: 'Dette personalekort er ikke gyldigt her.',
      unknown: 'Dette personalekort tilhører ingen medarbejder på denne kiosk.',
      locked: 'Dette personalekort er spærret i 5 minutter efter 5 forkerte pinkoder.',
      busy: 'Personaletilstand åbner, når kunden har betalt.',
      off: 'Denne kiosk har ingen personaletilstand.',
    },
    pinTitle: (name) => `Pinkode for ${name}`,
    pinDetail: 'Indtast pinkoden, og tryk på Log ind.',
    pinLabel: 'Pinkode',
    attemptsLeft: (count) => (count === 1 ? '1 forsøg tilbage' : `${count} forsøg tilbage`),
    wrongPin: (count) =>
      count === 1
        ? 'Forkert pinkode. 1 forsøg tilbage, før kortet spærres.'
        : `Forkert pinkode. ${count} forsøg tilbage.`,
    logIn: 'Log ind',
    backspace: 'Slet',
    cancel: 'Annuller',
    loggedInAs: (name) => `Logget ind: ${name}`,
    xReport: 'X-rapport',
    zReport: 'Z-rapport (afslut dagen)',
    copy: 'Kopi af seneste kvittering',
    returnSale: 'Returnering af et køb',
    training: (on) => (on ? 'Træningstilstand: slå fra' : 'Træningstilstand: slå til'),
    outOfOrder: (on) => (on ? 'Ude af drift: slå fra' : 'Ude af drift: slå til'),
    trainingOn: 'Træningstilstand er slået til: kvitteringer er ikke gyldige kvitteringer.',
    outOfOrderOn: 'Kiosken er ude af drift for kunder.',
    logOut: 'Log ud',
    menu: 'Tilbage til menuen',
    findTitle: 'Returnering af et køb',
    findDetail: 'Scan stregkoden på kvitteringen, eller indtast kvitteringsnummeret.',
    receiptNumber: 'Kvitteringsnummer',
    find: 'Find',
    pickTitle: (receiptNumber) => `Kvittering ${receiptNumber}: hvad kommer retur?`,
    refundable: (amount) => `Højst ${amount} kan betales tilbage.`,
    returnable: (count) => `${count} kan returneres`,
    increase: (name) => `En ${name} mere retur`,
    decrease: (name) => `En ${name} mindre retur`,
    refundTotal: (amount) => `Tilbagebetal ${amount}`,
    confirmReturn: 'Betal tilbage til kunden',
    copyMark: 'KOPI',
    trainingMark: 'TRÆNING – ikke en gyldig kvittering',
    returnOf: (receiptNumber) => `Returnering af kvittering ${receiptNumber}`,
    total: 'I alt',
    vat: (rate) => `Moms ${rate}`,
    refundedWith: (type) => `Tilbagebetalt med ${type}`,
  },
};
