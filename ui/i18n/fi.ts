import type { Messages } from './messages.js';

// The payment app is named in a compound ("{app}-sovelluksessa"), so the text never has to inflect it.
export const fi: Messages = {
  locale: 'fi-FI',
  languageName: 'Suomi',

  app: {
    tagline: 'Maksa {app}-sovelluksella',
    language: 'Kieli',
    largeText: 'Suuri teksti',
    connecting: 'Käynnistyy …',
    reconnecting: 'Yhdistetään uudelleen …',
    reconnectingDetail: 'Tämä kestää vain hetken.',
    announce: {
      attract: 'Valmis. Aloita skannaamalla tuote.',
      basket: 'Ostoskori',
      identify: 'Skannaa QR-koodisi tai näppäile matkapuhelinnumerosi.',
      paying: 'Lähetetään maksupyyntöä.',
      'awaiting-approval': 'Hyväksy maksu sovelluksessa.',
      cancelling: 'Perutaan maksua.',
      capturing: 'Hyväksytty. Viimeistellään maksua.',
      approved: 'Maksu on hyväksytty.',
      declined: 'Maksu ei onnistunut.',
      unavailable: '{app} ei ole tilapäisesti käytettävissä.',
      maintenance: 'Kassa on poissa käytöstä.',
      'club-checking': 'Tarkistetaan jäsenyyttä.',
      'club-offer': 'Liity kanta-asiakasklubiin tai maksa normaalihinnat.',
      'club-consent': 'Vahvista sovelluksessa.',
      'out-of-order': 'Tämä kassa ei voi ottaa vastaan maksuja juuri nyt. Kysy henkilökunnalta.',
      staff: 'Henkilökuntatila.',
    },
    serverError: 'Se ei onnistunut. Yritä uudelleen.',
    phoneWait: 'Odota hetki ennen kuin näppäilet uuden numeron.',
  },

  attract: {
    title: 'Aloita skannaamalla tuote',
    steps: ['Skannaa tuotteesi', 'Näytä QR-koodi {app}-sovelluksessa', 'Hyväksy puhelimessa'],
    recovered: (captured, cancelled, unresolved) =>
      `Uudelleenkäynnistyksen jälkeen: ${captured} maksu(a) viety loppuun, ${cancelled} peruttu` +
      (unresolved > 0 ? `, ${unresolved} odottaa {app}-palvelun vastausta` : ''),
  },

  basket: {
    title: 'Ostoskori',
    items: (count) => (count === 1 ? '1 tuote' : `${count} tuotetta`),
    total: 'Maksettavaa',
    hint: 'Skannaa lisää tuotteita tai maksa, kun olet valmis.',
    empty: 'Ostoskori on tyhjä. Skannaa tuote.',
    pay: 'Maksa',
    startOver: 'Aloita alusta',
    each: (unitPrice) => `${unitPrice}/kpl`,
    quantity: (name, count) => `${count} kpl ${name}`,
    increase: (name) => `Yksi lisää: ${name}`,
    decrease: (name) => `Yksi vähemmän: ${name}`,
    remove: (name) => `Poista ${name}`,
  },

  identify: {
    title: 'Skannaa QR-koodisi',
    detail: 'Avaa {app}-sovellus ja näytä henkilökohtainen QR-koodisi skannerille.',
    toPay: 'Maksettavaa',
    orPhone: 'Tai näppäile matkapuhelinnumerosi',
    phonePlaceholder: 'Puhelinnumero',
    countryCode: (code) => `Maatunnus +${code}. Vaihda painamalla.`,
    backspace: 'Poista viimeinen numero',
    send: 'Lähetä',
    back: 'Takaisin',
    showQr: 'Näytä QR-koodi, jonka voit skannata puhelimella',
    qrNoClub: 'Jäsenhinnat edellyttävät omaa QR-koodiasi tai puhelinnumeroasi.',
  },

  paying: {
    title: 'Lähetetään maksupyyntöä …',
    detail: 'Pidä puhelin valmiina.',
  },

  awaitingApproval: {
    title: 'Hyväksy {app}-sovelluksessa',
    detail: 'Maksupyyntö on lähetetty puhelimeesi.',
    sentTo: (customer) => `Lähetetty numeroon ${customer}`,
    timeLeft: 'Aikaa jäljellä',
    cancel: 'Peruuta',
    qrTitle: 'Skannaa ja maksa',
    qrDetail: 'Skannaa koodi puhelimen kameralla tai {app}-sovelluksella.',
    qrLabel: 'Tämän maksun QR-koodi',
  },

  cancelling: {
    title: 'Perutaan maksua …',
    detail: 'Varmistamme, ettei mitään veloiteta.',
  },

  capturing: {
    title: 'Hyväksytty! Viimeistellään maksua …',
    detail: 'Hetki, niin kuitti tulee.',
  },

  approved: {
    title: 'Kiitos ostoksestasi!',
    detail: 'Maksu on hyväksytty. Kuitti löytyy myös sovelluksesta.',
    receipt: 'Kuitti',
    receiptNumber: 'Nro',
    total: 'Yhteensä',
    vatIncluded: 'Sisältää ALV:n',
    vatRate: (rate) => `ALV ${rate}`,
    till: 'Kassa',
    paidWith: (paymentType) => `Maksettu: ${paymentType}`,
    paymentReference: 'Viite',
    done: 'Valmis',
  },

  declined: {
    reasons: {
      rejected: {
        title: 'Maksu hylättiin',
        detail: 'Se hylättiin sovelluksessa. Mitään ei veloitettu, ja tuotteet ovat yhä ostoskorissa.',
      },
      expired: {
        title: 'Aika loppui',
        detail: 'Maksua ei hyväksytty ajoissa. Mitään ei veloitettu.',
      },
      cancelled: {
        title: 'Maksu peruttiin',
        detail: 'Mitään ei veloitettu. Tuotteet ovat yhä ostoskorissa.',
      },
      'unknown-customer': {
        title: 'Emme löytäneet sinua {app}-palvelusta',
        detail: 'Tarkista numero tai skannaa QR-koodi sovelluksesta.',
      },
      'invalid-customer': {
        title: 'QR-koodi tai numero ei toiminut',
        detail: 'Skannaa henkilökohtainen QR-koodi sovelluksesta uudelleen.',
      },
      refused: {
        title: 'Maksua ei voitu suorittaa',
        detail: 'Yritä uudelleen tai pyydä apua henkilökunnalta.',
      },
    },
    tryAgain: 'Yritä uudelleen',
    backToBasket: 'Takaisin ostoskoriin',
  },

  maintenance: {
    title: 'Poissa käytöstä',
    detail: 'Tämä kassa on hetken suljettuna. Käytä toista kassaa tai kysy henkilökunnalta.',
  },

  outOfOrder: {
    title: 'Tämä kassa ei voi ottaa vastaan maksuja juuri nyt',
    detail: 'Pyydä apua henkilökunnalta tai käytä toista kassaa.',
    forStaff: 'Henkilökunnalle',
    code: (code) => `Virhekoodi ${code}`,
  },

  unavailable: {
    title: '{app} ei ole tilapäisesti käytettävissä',
    detail: 'Ostoskorisi on tallessa, ja voit yhä skannata tuotteita. Yritä hetken päästä uudelleen.',
    tryAgain: 'Yritä uudelleen',
  },

  club: {
    checking: { title: 'Tarkistetaan jäsenyyttä …', detail: 'Hetkinen.' },
    offer: {
      title: 'Liitytkö kanta-asiakasklubiin?',
      saves: (amount) => `Jäsenet säästävät tästä ostoskorista ${amount}`,
      noSaving: 'Jäsenet saavat valituista tuotteista omat hinnat.',
      detail: 'Liittyminen on maksutonta. Vahvistat {app}-sovelluksessa ja valitset itse, mitä jaat.',
      join: 'Liity ja säästä',
      skip: 'Ei kiitos, maksan vain',
    },
    consent: {
      title: 'Vahvista sovelluksessa',
      detail: 'Lähetimme pyynnön puhelimeesi. Tarkista, että siinä näkyy tämä koodi:',
      code: 'Koodi',
      timeLeft: 'Aikaa jäljellä',
      skip: 'Maksa liittymättä',
      notNow: 'Ei nyt',
      notice: {
        'maybe-sent':
          'Pyyntö voi olla matkalla puhelimeesi. Jos siinä näkyy tämä koodi, odota hetki – tarkistamme, että se tuli perille:',
        'ignore-request':
          'Pyyntö tällä koodilla on sovelluksessa, mutta sitä ei voi viedä loppuun täältä. Hylkää se sovelluksessa ja maksa liittymättä.',
        'already-waiting':
          'Sovelluksessasi odottaa jo kirjautumispyyntö. Vastaa siihen ensin tai maksa liittymättä.',
      },
    },
    outcome: {
      member: 'Jäsenhinnat käytössä',
      joined: 'Tervetuloa klubiin! Jäsenhinnat käytössä.',
      declined: 'Et liittynyt klubiin. Maksat normaalihinnat.',
      timeout: 'Aika loppui. Maksat normaalihinnat.',
      unavailable: 'Jäsenhinnat eivät ole juuri nyt käytettävissä.',
      'approval-lost':
        'Hyväksyntäsi katosi matkalla, joten et ole vielä jäsen. Liity ensi kerralla. Tänään normaalihinnat.',
    },
    lineSaving: (amount) => `Jäsenhinta, säästät ${amount}`,
    saved: (amount) => `Säästit ${amount}`,
    back: 'Takaisin ostoskoriin',
    loginLeftOpen: 'Et liittynyt klubiin: normaalihinnat. Voit jättää klubipyynnön sovelluksessa huomiotta.',
  },

  idle: {
    title: 'Oletko vielä täällä?',
    detail: 'Ostoskori tyhjennetään, kun aika loppuu.',
    secondsLeft: (seconds) => (seconds === 1 ? '1 sekunti jäljellä' : `${seconds} sekuntia jäljellä`),
    stillHere: 'Olen vielä täällä',
  },

  feedback: {
    added: (name) => `${name} lisätty ostoskoriin`,
    'unknown-item': (code) =>
      code ? `Tuntematon tuote (${code}). Kysy henkilökunnalta.` : 'Tuntematon tuote. Kysy henkilökunnalta.',
    'not-recognised': () => 'Koodia ei tunnistettu. Yritä uudelleen.',
    'scan-incomplete': () => 'Skannaus keskeytyi. Skannaa uudelleen.',
    'scanner-layout': () => 'Skannerissa on väärä näppäimistöasettelu – kysy henkilökunnalta',
    'basket-full': () => 'Ostoskori on täynnä',
    customer: () => 'QR-koodi luettu',
    'out-of-order': () => 'Tämä kassa on poissa käytöstä. Käytä toista kassaa tai kysy henkilökunnalta.',
    ignored: () => 'Skannaus ei ole juuri nyt mahdollista',
    'cashier-scans': () => 'Kassa skannaa tuotteet. Skannaa QR-koodisi tässä, kun summa näkyy.',
    'staff-card-refused': (reason) =>
      fi.staff.cardRefused[reason as keyof Messages['staff']['cardRefused']] ?? fi.staff.cardRefused.forged,
  },

  training: {
    banner: 'Harjoitustila – ei oikeaa maksua',
    notValid: 'HARJOITUSKUITTI – ei kelvollinen kuitti',
  },
  speech: {
    started:
      'Puhetila on päällä. Liiku seuraava- ja edellinen-näppäimillä, paina valitse-näppäimellä ja palaa takaisin-näppäimellä. Kuulet viimeisimmän viestin uudelleen pitämällä puhenäppäintä pohjassa.',
    where: {
      attract: 'Aloitussivu.',
      basket: 'Ostoskori.',
      identify: 'Maksu.',
      paying: 'Maksu.',
      'awaiting-approval': 'Hyväksyntä puhelimessa.',
      cancelling: 'Perutaan.',
      capturing: 'Hyväksytty.',
      approved: 'Kuitti.',
      declined: 'Ei maksettu.',
      unavailable: '{app} ei vastaa.',
      maintenance: 'Poissa käytöstä.',
      'club-checking': 'Kanta-asiakasklubi.',
      'club-offer': 'Kanta-asiakasklubi.',
      'club-consent': 'Kanta-asiakasklubi.',
      'out-of-order': 'Poissa käytöstä.',
      staff: 'Henkilökuntatila.',
    },
    attract: 'Aloita skannaamalla tuote. Näytön alla oleva skanneri lukee viivakoodin.',
    basket: {
      total: (items, amount) => `${items === 1 ? '1 tuote' : `${items} tuotetta`}. Maksettavaa: ${amount}.`,
      empty: 'Ostoskori on tyhjä. Skannaa tuote.',
      line: (quantity, name, amount) => `${quantity} kpl ${name}, ${amount}.`,
      next: 'Skannaa lisää tuotteita, tai kuuntele tuotteet ja siirry Maksa-painikkeeseen painamalla seuraava.',
    },
    identify: {
      next: (amount) =>
        `Maksettavaa: ${amount}. Näytä sovelluksen henkilökohtainen QR-koodi skannerille tai näppäile matkapuhelinnumerosi: siirry numeroihin painamalla seuraava ja näppäile painamalla valitse.`,
      typed: (digits) => (digits ? `Näppäilty: ${digits}.` : 'Ei näppäiltyjä numeroita.'),
    },
    posLines: 'Kuuntele tuotteet painamalla seuraava.',
    paying: 'Lähetetään maksupyyntöä. Pidä puhelin valmiina.',
    awaitingApproval: (amount, customer) =>
      `Hyväksy ${amount} puhelimesi {app}-sovelluksessa` +
      (customer ? `. Pyyntö lähetettiin numeroon, joka päättyy ${customer}.` : '.') +
      ' Peruuta painamalla takaisin.',
    cancelling: 'Perutaan maksua. Mitään ei veloiteta.',
    capturing: 'Hyväksytty. Viimeistellään maksua, hetki.',
    approved: (amount, receiptNumber) =>
      `Kiitos! ${amount} on maksettu. Kuitin numero ${receiptNumber}. Kuitti löytyy myös sovelluksesta.`,
    declined: {
      reasons: {
        rejected: 'Maksu hylättiin sovelluksessa. Mitään ei veloitettu.',
        expired: 'Aika loppui ennen kuin maksu hyväksyttiin. Mitään ei veloitettu.',
        cancelled: 'Maksu peruttiin. Mitään ei veloitettu.',
        'unknown-customer': 'Numeroa ei löytynyt {app}-palvelusta. Tarkista numero ja yritä uudelleen.',
        'invalid-customer': 'QR-koodi tai numero ei toiminut. Yritä uudelleen.',
        refused: 'Maksua ei voitu suorittaa. Yritä uudelleen tai kysy henkilökunnalta.',
      },
      next: 'Tuotteet ovat yhä ostoskorissa. Yritä uudelleen painamalla seuraava.',
    },
    unavailable:
      '{app} ei ole tilapäisesti käytettävissä. Ostoskorisi on tallessa. Yritä hetken päästä uudelleen tai kysy henkilökunnalta.',
    maintenance: 'Tämä kassa on hetken suljettuna. Käytä toista kassaa tai kysy henkilökunnalta.',
    outOfOrder: 'Tämä kassa ei voi ottaa vastaan maksuja juuri nyt. Pyydä apua henkilökunnalta.',
    club: {
      checking: 'Tarkistetaan jäsenyyttäsi, hetki.',
      offer: (saves) =>
        (saves
          ? `Liity kanta-asiakasklubiin ja säästä tästä ostoskorista ${saves}.`
          : 'Liity kanta-asiakasklubiin, niin saat jäsenhinnat.') +
        ' Liittyminen on maksutonta. Valitse painamalla seuraava: liity tai ei kiitos.',
      consent: (code) =>
        `Lähetimme pyynnön puhelimeesi. Tarkista, että sovelluksessa näkyy koodi ${code}, ja vahvista siellä.`,
      notice: {
        'maybe-sent': (code) =>
          `Pyyntö voi olla matkalla puhelimeesi. Jos siinä näkyy koodi ${code}, odota hetki, kun tarkistamme, että se tuli perille.`,
        'ignore-request': (code) =>
          `Pyyntöä koodilla ${code} ei voi viedä loppuun täältä. Hylkää se sovelluksessa ja maksa liittymättä.`,
        'already-waiting': () =>
          'Sovelluksessasi odottaa jo kirjautumispyyntö. Vastaa siihen ensin tai maksa liittymättä.',
      },
    },
    staff: 'Henkilökuntatila on vain henkilökunnalle.',
    timeLeft: (minutes, seconds) =>
      `${minutes > 0 ? `${minutes} ${minutes === 1 ? 'minuutti' : 'minuuttia'} ja ` : ''}${seconds} ${seconds === 1 ? 'sekunti' : 'sekuntia'} jäljellä.`,
    idle: (seconds) =>
      `Oletko vielä täällä? Ostoskori tyhjennetään ${seconds} sekunnin kuluttua. Jatka painamalla mitä tahansa näppäintä.`,
    button: (label) => `${label}, painike.`,
    nothingHere: 'Tässä ei ole enempää.',
  },

  demo: {
    title: 'Demo',
    scanLabel: 'Skannaa teksti',
    scan: 'Skannaa',
    quickPick: 'Pikavalinta …',
    products: 'Tuotteet',
    customers: 'Asiakkaat (henkilökohtainen QR)',
    phone: 'Demopuhelin',
    led: {
      off: 'Merkkivalo pois',
      green: 'Merkkivalo vihreä',
      amber: 'Merkkivalo keltainen',
      red: 'Merkkivalo punainen',
      blue: 'Merkkivalo sininen',
    },
    keys: {
      title: 'Näppäimet (puhetila)',
      key: {
        speech: 'Puhe',
        next: 'Seuraava',
        previous: 'Edellinen',
        select: 'Valitse',
        back: 'Takaisin',
        'volume-up': 'Lisää ääntä',
        'volume-down': 'Vähemmän ääntä',
      },
    },
    printer: {
      title: 'Kuittitulostin',
      condition: {
        ready: 'valmis',
        'paper-near-end': 'paperi vähissä',
        'paper-out': 'paperi loppu',
        'cover-open': 'kansi auki',
        offline: 'ei yhteyttä',
      },
      set: {
        ready: 'Valmis',
        'paper-near-end': 'Vähän paperia',
        'paper-out': 'Paperi loppu',
        'cover-open': 'Avaa kansi',
        offline: 'Katkaise yhteys',
      },
      paper: 'Paperinauha',
      empty: 'Ei vielä tulosteita',
    },
  },

  staff: {
    title: 'Henkilökuntatila',
    cardRefused: {
      forged: 'Tämä henkilökunnan kortti ei kelpaa täällä.',
      unknown: 'Tämä henkilökunnan kortti ei kuulu kenellekään tämän kioskin työntekijälle.',
      locked: 'Tämä henkilökunnan kortti on lukittu 5 minuutiksi 5 väärän PIN-koodin jälkeen.',
      busy: 'Henkilökuntatila avautuu, kun asiakas on maksanut.',
      off: 'Tässä kioskissa ei ole henkilökuntatilaa.',
    },
    pinTitle: (name) => `PIN-koodi: ${name}`,
    pinDetail: 'Näppäile PIN-koodi ja paina Kirjaudu.',
    pinLabel: 'PIN-koodi',
    attemptsLeft: (count) => (count === 1 ? '1 yritys jäljellä' : `${count} yritystä jäljellä`),
    wrongPin: (count) =>
      count === 1
        ? 'Väärä PIN-koodi. 1 yritys jäljellä ennen kuin kortti lukitaan.'
        : `Väärä PIN-koodi. ${count} yritystä jäljellä.`,
    logIn: 'Kirjaudu',
    backspace: 'Poista',
    cancel: 'Peruuta',
    loggedInAs: (name) => `Kirjautunut: ${name}`,
    xReport: 'X-raportti',
    zReport: 'Z-raportti (päätä päivä)',
    copy: 'Kopio viimeisestä kuitista',
    returnSale: 'Ostoksen palautus',
    training: (on) => (on ? 'Harjoitustila: pois päältä' : 'Harjoitustila: päälle'),
    outOfOrder: (on) => (on ? 'Poissa käytöstä: pois päältä' : 'Poissa käytöstä: päälle'),
    trainingOn: 'Harjoitustila on päällä: kuitit eivät ole kelvollisia kuitteja.',
    outOfOrderOn: 'Kioski on poissa käytöstä asiakkailta.',
    logOut: 'Kirjaudu ulos',
    menu: 'Takaisin valikkoon',
    findTitle: 'Ostoksen palautus',
    findDetail: 'Skannaa kuitin viivakoodi tai näppäile kuitin numero.',
    receiptNumber: 'Kuitin numero',
    find: 'Hae',
    pickTitle: (receiptNumber) => `Kuitti ${receiptNumber}: mitä palautetaan?`,
    refundable: (amount) => `Enintään ${amount} voidaan palauttaa.`,
    returnable: (count) => `${count} voidaan palauttaa`,
    increase: (name) => `Yksi lisää palautukseen: ${name}`,
    decrease: (name) => `Yksi vähemmän palautukseen: ${name}`,
    refundTotal: (amount) => `Palauta ${amount}`,
    confirmReturn: 'Palauta rahat asiakkaalle',
    copyMark: 'KOPIO',
    trainingMark: 'HARJOITUS – ei kelvollinen kuitti',
    returnOf: (receiptNumber) => `Palautus kuitista ${receiptNumber}`,
    total: 'Yhteensä',
    vat: (rate) => `ALV ${rate}`,
    refundedWith: (type) => `Palautettu: ${type}`,
  },
};
