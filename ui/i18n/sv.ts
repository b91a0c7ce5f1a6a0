import type { Messages } from './messages.js';

export const sv: Messages = {
  locale: 'sv-SE',
  languageName: 'Svenska',

  app: {
    tagline: 'Betala med {app}',
    language: 'Språk',
    largeText: 'Stor text',
    connecting: 'Startar …',
    reconnecting: 'Ansluter igen …',
    reconnectingDetail: 'Det tar bara ett ögonblick.',
    announce: {
      attract: 'Klar. Skanna en vara för att börja.',
      basket: 'Varukorg',
      identify: 'Skanna din QR-kod eller skriv ditt mobilnummer.',
      paying: 'Skickar betalningsbegäran.',
      'awaiting-approval': 'Godkänn betalningen i appen.',
      cancelling: 'Avbryter betalningen.',
      capturing: 'Godkänd. Slutför betalningen.',
      approved: 'Betalningen är godkänd.',
      declined: 'Betalningen gick inte igenom.',
      unavailable: '{app} är tillfälligt otillgänglig.',
      maintenance: 'Kassan är ur funktion.',
      'club-checking': 'Kontrollerar medlemskap.',
      'club-offer': 'Gå med i kundklubben, eller betala ordinarie priser.',
      'club-consent': 'Bekräfta i appen.',
      'out-of-order': 'Den här kassan kan inte ta emot betalningar just nu. Fråga personalen.',
      staff: 'Personalläge.',
    },
    serverError: 'Det gick inte. Försök igen.',
    phoneWait: 'Vänta en stund innan du skriver ett nytt nummer.',
  },

  attract: {
    title: 'Skanna en vara för att börja',
    steps: ['Skanna dina varor', 'Visa QR-koden i {app}', 'Godkänn i telefonen'],
    recovered: (captured, cancelled, unresolved) =>
      `Efter omstart: ${captured} betalning(ar) slutförda, ${cancelled} avbrutna` +
      (unresolved > 0 ? `, ${unresolved} väntar på svar från {app}` : ''),
  },

  basket: {
    title: 'Varukorg',
    items: (count) => (count === 1 ? '1 vara' : `${count} varor`),
    total: 'Att betala',
    hint: 'Skanna fler varor, eller betala när du är klar.',
    empty: 'Varukorgen är tom. Skanna en vara.',
    pay: 'Betala',
    startOver: 'Börja om',
    each: (unitPrice) => `${unitPrice}/st.`,
    quantity: (name, count) => `${count} st. ${name}`,
    increase: (name) => `En till av ${name}`,
    decrease: (name) => `En mindre av ${name}`,
    remove: (name) => `Ta bort ${name}`,
  },

  identify: {
    title: 'Skanna din QR-kod',
    detail: 'Öppna {app}-appen och håll din personliga QR-kod framför skannern.',
    toPay: 'Att betala',
    orPhone: 'Eller skriv ditt mobilnummer',
    phonePlaceholder: 'Mobilnummer',
    countryCode: (code) => `Landsnummer +${code}. Tryck för att byta.`,
    backspace: 'Radera sista siffran',
    send: 'Skicka',
    back: 'Tillbaka',
    showQr: 'Visa en QR-kod att skanna med telefonen',
    qrNoClub: 'Medlemspriser kräver din egen QR-kod eller ditt nummer.',
  },

  paying: {
    title: 'Skickar betalningsbegäran …',
    detail: 'Ha telefonen redo.',
  },

  awaitingApproval: {
    title: 'Godkänn i {app}-appen',
    detail: 'Betalningsbegäran har skickats till din telefon.',
    sentTo: (customer) => `Skickad till ${customer}`,
    timeLeft: 'Tid kvar',
    cancel: 'Avbryt',
    qrTitle: 'Skanna för att betala',
    qrDetail: 'Skanna koden med telefonens kamera eller med {app}-appen.',
    qrLabel: 'QR-kod för den här betalningen',
  },

  cancelling: {
    title: 'Avbryter betalningen …',
    detail: 'Vi ser till att inget dras.',
  },

  capturing: {
    title: 'Godkänd! Slutför betalningen …',
    detail: 'Ett ögonblick, sedan kommer kvittot.',
  },

  approved: {
    title: 'Tack för ditt köp!',
    detail: 'Betalningen är godkänd. Kvittot finns också i appen.',
    receipt: 'Kvitto',
    receiptNumber: 'Nr',
    total: 'Totalt',
    vatIncluded: 'Varav moms',
    vatRate: (rate) => `Moms ${rate}`,
    till: 'Kassa',
    paidWith: (paymentType) => `Betalt med ${paymentType}`,
    paymentReference: 'Referens',
    done: 'Klar',
  },

  declined: {
    reasons: {
      rejected: {
        title: 'Betalningen nekades',
        detail: 'Den nekades i appen. Inget har dragits, och varorna ligger kvar i varukorgen.',
      },
      expired: {
        title: 'Tiden gick ut',
        detail: 'Betalningen godkändes inte i tid. Inget har dragits.',
      },
      cancelled: {
        title: 'Betalningen avbröts',
        detail: 'Inget har dragits. Varorna ligger kvar i varukorgen.',
      },
      'unknown-customer': {
        title: 'Vi hittade dig inte i {app}',
        detail: 'Kontrollera numret, eller skanna QR-koden i appen i stället.',
      },
      'invalid-customer': {
        title: 'QR-koden eller numret fungerade inte',
        detail: 'Skanna den personliga QR-koden i appen igen.',
      },
      refused: {
        title: 'Betalningen kunde inte genomföras',
        detail: 'Försök igen, eller be personalen om hjälp.',
      },
    },
    tryAgain: 'Försök igen',
    backToBasket: 'Tillbaka till varukorgen',
  },

  maintenance: {
    title: 'Ur funktion',
    detail: 'Den här kassan är stängd en stund. Använd en annan kassa, eller fråga personalen.',
  },

  outOfOrder: {
    title: 'Den här kassan kan inte ta emot betalningar just nu',
    detail: 'Be personalen om hjälp, eller använd en annan kassa.',
    forStaff: 'Till personalen',
    code: (code) => `Felkod ${code}`,
  },

  unavailable: {
    title: '{app} är tillfälligt otillgänglig',
    detail: 'Varukorgen är sparad, och du kan fortfarande skanna varor. Försök igen om en stund.',
    tryAgain: 'Försök igen',
  },

  club: {
    checking: { title: 'Kontrollerar medlemskap …', detail: 'Ett ögonblick.' },
    offer: {
      title: 'Vill du gå med i kundklubben?',
      saves: (amount) => `Medlemmar sparar ${amount} på den här varukorgen`,
      noSaving: 'Medlemmar får egna priser på utvalda varor.',
      detail: 'Det är gratis att gå med. Du bekräftar i {app}-appen och väljer själv vad du delar.',
      join: 'Gå med och spara',
      skip: 'Nej tack, bara betala',
    },
    consent: {
      title: 'Bekräfta i appen',
      detail: 'Vi har skickat en förfrågan till din telefon. Kontrollera att den visar den här koden:',
      code: 'Kod',
      timeLeft: 'Tid kvar',
      skip: 'Betala utan att gå med',
      notNow: 'Inte nu',
      notice: {
        'maybe-sent':
          'En förfrågan kan vara på väg till din telefon. Visar den den här koden, vänta lite – vi kontrollerar att den kom fram:',
        'ignore-request':
          'Förfrågan med den här koden ligger i appen men kan inte slutföras härifrån. Neka den i appen och betala utan att gå med.',
        'already-waiting':
          'En inloggningsförfrågan väntar redan i din app. Svara på den först, eller betala utan att gå med.',
      },
    },
    outcome: {
      member: 'Medlemspriser gäller',
      joined: 'Välkommen till klubben! Medlemspriser gäller.',
      declined: 'Inte med i klubben. Du betalar ordinarie priser.',
      timeout: 'Tiden gick ut. Du betalar ordinarie priser.',
      unavailable: 'Medlemspriser är inte tillgängliga just nu.',
      'approval-lost':
        'Ditt godkännande försvann på vägen, så du är inte medlem än. Gå med nästa gång. Ordinarie priser i dag.',
    },
    lineSaving: (amount) => `Medlemspris, du sparar ${amount}`,
    saved: (amount) => `Du sparade ${amount}`,
    back: 'Tillbaka till varukorgen',
    loginLeftOpen: 'Inte med i klubben: ordinarie priser. Du kan bortse från klubbförfrågan i appen.',
  },

  idle: {
    title: 'Är du kvar?',
    detail: 'Varukorgen töms när tiden är ute.',
    secondsLeft: (seconds) => (seconds === 1 ? '1 sekund kvar' : `${seconds} sekunder kvar`),
    stillHere: 'Jag är kvar',
  },

  feedback: {
    added: (name) => `${name} har lagts i varukorgen`,
    'unknown-item': (code) =>
      code ? `Okänd vara (${code}). Fråga personalen.` : 'Okänd vara. Fråga personalen.',
    'not-recognised': () => 'Koden kändes inte igen. Försök igen.',
    'scan-incomplete': () => 'Skanningen avbröts. Skanna igen.',
    'scanner-layout': () => 'Skannern har fel tangentbordslayout – fråga personalen',
    'basket-full': () => 'Varukorgen är full',
    customer: () => 'QR-koden är läst',
    'out-of-order': () => 'Den här kassan är ur funktion. Använd en annan kassa, eller fråga personalen.',
    ignored: () => 'Det går inte att skanna just nu',
    'cashier-scans': () => 'Kassan skannar varorna. Skanna din QR-kod här när beloppet visas.',
    'staff-card-refused': (reason) =>
      sv.staff.cardRefused[reason as keyof Messages['staff']['cardRefused']] ?? sv.staff.cardRefused.forged,
  },

  training: {
    banner: 'Övningsläge – ingen riktig betalning',
    notValid: 'ÖVNINGSKVITTO – inte ett giltigt kvitto',
  },
  speech: {
    started:
      'Talläget är på. Använd knapparna nästa och föregående för att flytta dig, välj för att trycka och tillbaka för att gå tillbaka. Håll in talknappen för att höra det senaste igen.',
    where: {
      attract: 'Startsidan.',
      basket: 'Varukorgen.',
      identify: 'Betalning.',
      paying: 'Betalning.',
      'awaiting-approval': 'Godkännande i telefonen.',
      cancelling: 'Avbryter.',
      capturing: 'Godkänd.',
      approved: 'Kvitto.',
      declined: 'Inte betalt.',
      unavailable: '{app} svarar inte.',
      maintenance: 'Ur funktion.',
      'club-checking': 'Kundklubben.',
      'club-offer': 'Kundklubben.',
      'club-consent': 'Kundklubben.',
      'out-of-order': 'Ur funktion.',
      staff: 'Personalläge.',
    },
    attract: 'Skanna en vara för att börja. Skannern under skärmen läser streckkoden.',
    basket: {
      total: (items, amount) => `${items === 1 ? '1 vara' : `${items} varor`}. Att betala: ${amount}.`,
      empty: 'Varukorgen är tom. Skanna en vara.',
      line: (quantity, name, amount) => `${quantity} st. ${name}, ${amount}.`,
      next: 'Skanna fler varor, eller tryck nästa för att höra varorna och komma till Betala.',
    },
    identify: {
      next: (amount) =>
        `Att betala: ${amount}. Håll den personliga QR-koden i appen framför skannern, eller skriv ditt mobilnummer: tryck nästa för att komma till siffrorna och välj för att skriva.`,
      typed: (digits) => (digits ? `Inskrivet: ${digits}.` : 'Inga siffror inskrivna.'),
    },
    posLines: 'Tryck nästa för att höra varorna.',
    paying: 'Skickar betalningsbegäran. Ha telefonen redo.',
    awaitingApproval: (amount, customer) =>
      `Godkänn ${amount} i {app}-appen i din telefon` +
      (customer ? `. Begäran skickades till numret som slutar på ${customer}.` : '.') +
      ' Tryck tillbaka för att avbryta.',
    cancelling: 'Avbryter betalningen. Inget dras.',
    capturing: 'Godkänd. Slutför betalningen, ett ögonblick.',
    approved: (amount, receiptNumber) =>
      `Tack för ditt köp! ${amount} är betalt. Kvittonummer ${receiptNumber}. Kvittot finns också i appen.`,
    declined: {
      reasons: {
        rejected: 'Betalningen nekades i appen. Inget har dragits.',
        expired: 'Tiden gick ut innan betalningen godkändes. Inget har dragits.',
        cancelled: 'Betalningen avbröts. Inget har dragits.',
        'unknown-customer': 'Vi hittade inte numret i {app}. Kontrollera numret och försök igen.',
        'invalid-customer': 'QR-koden eller numret fungerade inte. Försök igen.',
        refused: 'Betalningen kunde inte genomföras. Försök igen, eller fråga personalen.',
      },
      next: 'Varorna ligger kvar i varukorgen. Tryck nästa för att försöka igen.',
    },
    unavailable:
      '{app} är tillfälligt otillgänglig. Varukorgen är sparad. Försök igen om en stund, eller fråga personalen.',
    maintenance: 'Den här kassan är stängd en stund. Använd en annan kassa, eller fråga personalen.',
    outOfOrder: 'Den här kassan kan inte ta emot betalningar just nu. Be personalen om hjälp.',
    club: {
      checking: 'Kontrollerar ditt medlemskap, ett ögonblick.',
      offer: (saves) =>
        (saves
          ? `Gå med i kundklubben och spara ${saves} på den här varukorgen.`
          : 'Gå med i kundklubben för medlemspriser.') +
        ' Det är gratis. Tryck nästa för att välja: gå med, eller nej tack.',
      consent: (code) =>
        `Vi har skickat en förfrågan till din telefon. Kontrollera att appen visar koden ${code}, och bekräfta där.`,
      notice: {
        'maybe-sent': (code) =>
          `En förfrågan kan vara på väg till din telefon. Visar den koden ${code}, vänta lite medan vi kontrollerar att den kom fram.`,
        'ignore-request': (code) =>
          `Förfrågan med koden ${code} kan inte slutföras härifrån. Neka den i appen och betala utan att gå med.`,
        'already-waiting': () =>
          'En inloggningsförfrågan väntar redan i din app. Svara på den först, eller betala utan att gå med.',
      },
    },
    staff: 'Personalläget är bara för personalen.',
    timeLeft: (minutes, seconds) =>
      `${minutes > 0 ? `${minutes} ${minutes === 1 ? 'minut' : 'minuter'} och ` : ''}${seconds} ${seconds === 1 ? 'sekund' : 'sekunder'} kvar.`,
    idle: (seconds) =>
      `Är du kvar? Varukorgen töms om ${seconds} sekunder. Tryck på valfri knapp för att fortsätta.`,
    button: (label) => `${label}, knapp.`,
    nothingHere: 'Inget mer här.',
  },

  demo: {
    title: 'Demo',
    scanLabel: 'Skanna text',
    scan: 'Skanna',
    quickPick: 'Snabbval …',
    products: 'Varor',
    customers: 'Kunder (personlig QR)',
    phone: 'Demotelefon',
    led: {
      off: 'Statuslampa av',
      green: 'Statuslampa grön',
      amber: 'Statuslampa gul',
      red: 'Statuslampa röd',
      blue: 'Statuslampa blå',
    },
    keys: {
      title: 'Knappar (talläge)',
      key: {
        speech: 'Tal',
        next: 'Nästa',
        previous: 'Föregående',
        select: 'Välj',
        back: 'Tillbaka',
        'volume-up': 'Volym upp',
        'volume-down': 'Volym ned',
      },
    },
    printer: {
      title: 'Kvittoskrivare',
      condition: {
        ready: 'klar',
        'paper-near-end': 'lite papper kvar',
        'paper-out': 'slut på papper',
        'cover-open': 'luckan är öppen',
        offline: 'frånkopplad',
      },
      set: {
        ready: 'Klar',
        'paper-near-end': 'Lite papper',
        'paper-out': 'Slut på papper',
        'cover-open': 'Öppna luckan',
        offline: 'Koppla från',
      },
      paper: 'Pappersremsa',
      empty: 'Inget utskrivet än',
    },
  },

  staff: {
    title: 'Personalläge',
    cardRefused: {
      forged: 'Det här personalkortet gäller inte här.',
      unknown: 'Det här personalkortet tillhör ingen anställd på den här kiosken.',
      locked: 'Det här personalkortet är spärrat i 5 minuter efter 5 felaktiga pinkoder.',
      busy: 'Personalläget öppnas när kunden har betalat klart.',
      off: 'Den här kiosken har inget personalläge.',
    },
    pinTitle: (name) => `Pinkod för ${name}`,
    pinDetail: 'Skriv pinkoden och tryck på Logga in.',
    pinLabel: 'Pinkod',
    attemptsLeft: (count) => (count === 1 ? '1 försök kvar' : `${count} försök kvar`),
    wrongPin: (count) =>
      count === 1 ? 'Fel pinkod. 1 försök kvar innan kortet spärras.' : `Fel pinkod. ${count} försök kvar.`,
    logIn: 'Logga in',
    backspace: 'Radera',
    cancel: 'Avbryt',
    loggedInAs: (name) => `Inloggad: ${name}`,
    xReport: 'X-rapport',
    zReport: 'Z-rapport (avsluta dagen)',
    copy: 'Kopia av senaste kvittot',
    returnSale: 'Retur av ett köp',
    training: (on) => (on ? 'Övningsläge: stäng av' : 'Övningsläge: slå på'),
    outOfOrder: (on) => (on ? 'Ur funktion: stäng av' : 'Ur funktion: slå på'),
    trainingOn: 'Övningsläget är på: kvitton är inte giltiga kvitton.',
    outOfOrderOn: 'Kiosken är ur funktion för kunder.',
    logOut: 'Logga ut',
    menu: 'Tillbaka till menyn',
    findTitle: 'Retur av ett köp',
    findDetail: 'Skanna streckkoden på kvittot, eller skriv kvittonumret.',
    receiptNumber: 'Kvittonummer',
    find: 'Sök',
    pickTitle: (receiptNumber) => `Kvitto ${receiptNumber}: vad lämnas tillbaka?`,
    refundable: (amount) => `Högst ${amount} kan betalas tillbaka.`,
    returnable: (count) => `${count} kan returneras`,
    increase: (name) => `En ${name} till tillbaka`,
    decrease: (name) => `En ${name} mindre tillbaka`,
    refundTotal: (amount) => `Betala tillbaka ${amount}`,
    confirmReturn: 'Betala tillbaka till kunden',
    copyMark: 'KOPIA',
    trainingMark: 'ÖVNING – inte ett giltigt kvitto',
    returnOf: (receiptNumber) => `Retur av kvitto ${receiptNumber}`,
    total: 'Totalt',
    vat: (rate) => `Moms ${rate}`,
    refundedWith: (type) => `Återbetalt med ${type}`,
  },
};
