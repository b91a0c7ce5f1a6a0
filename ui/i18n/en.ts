import type { Messages } from './messages.js';

export const en: Messages = {
  locale: 'en-GB',
  languageName: 'English',

  app: {
    tagline: 'Pay with {app}',
    language: 'Language',
    largeText: 'Large text',
    connecting: 'Starting up…',
    reconnecting: 'Reconnecting…',
    reconnectingDetail: 'This only takes a moment.',
    announce: {
      attract: 'Ready. Scan an item to start.',
      basket: 'Your basket',
      identify: 'Scan your QR code or type your mobile number.',
      paying: 'Sending the payment request.',
      'awaiting-approval': 'Approve the payment in the app.',
      cancelling: 'Cancelling the payment.',
      capturing: 'Approved. Completing the payment.',
      approved: 'Payment approved.',
      declined: 'The payment did not go through.',
      unavailable: '{app} is temporarily unavailable.',
      maintenance: 'This checkout is out of order.',
      'club-checking': 'Checking your membership.',
      'club-offer': 'Join the customer club, or pay at regular prices.',
      'club-consent': 'Confirm joining in the app.',
      'out-of-order': 'This checkout can’t take payments right now. Please ask a member of staff.',
      staff: 'Staff mode.',
    },
    serverError: 'That didn’t work. Please try again.',
    phoneWait: 'Please wait a moment before entering another number.',
  },

  attract: {
    title: 'Scan an item to start',
    steps: ['Scan your items', 'Show the QR code in {app}', 'Approve on your phone'],
    recovered: (captured, cancelled, unresolved) =>
      `After a restart: ${captured} payment(s) completed, ${cancelled} cancelled` +
      (unresolved > 0 ? `, ${unresolved} waiting for {app}` : ''),
  },

  basket: {
    title: 'Your basket',
    items: (count) => (count === 1 ? '1 item' : `${count} items`),
    total: 'To pay',
    hint: 'Scan more items, or pay when you’re ready.',
    empty: 'Your basket is empty. Scan an item.',
    pay: 'Pay',
    startOver: 'Start over',
    each: (unitPrice) => `${unitPrice} each`,
    quantity: (name, count) => `${count} × ${name}`,
    increase: (name) => `One more ${name}`,
    decrease: (name) => `One fewer ${name}`,
    remove: (name) => `Remove ${name}`,
  },

  identify: {
    title: 'Scan your QR code',
    detail: 'Open the {app} app and hold your personal QR code up to the scanner.',
    toPay: 'To pay',
    orPhone: 'Or type your mobile number',
    phonePlaceholder: 'Mobile number',
    countryCode: (code) => `Country code +${code}. Tap to change.`,
    backspace: 'Delete last digit',
    send: 'Send',
    back: 'Back',
    showQr: 'Show a QR code to scan with your phone',
    qrNoClub: 'Member prices need your own QR code or number.',
  },

  paying: {
    title: 'Sending the payment request…',
    detail: 'Keep your phone handy.',
  },

  awaitingApproval: {
    title: 'Approve in the {app} app',
    detail: 'The payment request is on your phone.',
    sentTo: (customer) => `Sent to ${customer}`,
    timeLeft: 'Time left',
    cancel: 'Cancel',
    qrTitle: 'Scan to pay',
    qrDetail: 'Scan this code with the camera of your phone, or with the {app} app.',
    qrLabel: 'QR code for this payment',
  },

  cancelling: {
    title: 'Cancelling the payment…',
    detail: 'Making sure nothing is charged.',
  },

  capturing: {
    title: 'Approved! Completing the payment…',
    detail: 'One moment, your receipt is on its way.',
  },

  approved: {
    title: 'Thank you!',
    detail: 'Payment approved. You’ll also find the receipt in the app.',
    receipt: 'Receipt',
    receiptNumber: 'No.',
    total: 'Total',
    vatIncluded: 'Includes VAT',
    vatRate: (rate) => `VAT ${rate}`,
    till: 'Till',
    paidWith: (paymentType) => `Paid with ${paymentType}`,
    paymentReference: 'Reference',
    done: 'Done',
  },

  declined: {
    reasons: {
      rejected: {
        title: 'The payment was declined',
        detail:
          'It was declined in the app. Nothing has been charged and your items are still in the basket.',
      },
      expired: {
        title: 'The time ran out',
        detail: 'The payment wasn’t approved in time. Nothing has been charged.',
      },
      cancelled: {
        title: 'The payment was cancelled',
        detail: 'Nothing has been charged. Your items are still in the basket.',
      },
      'unknown-customer': {
        title: 'We couldn’t find you in {app}',
        detail: 'Check the number, or scan the QR code in the app instead.',
      },
      'invalid-customer': {
        title: 'That QR code or number didn’t work',
        detail: 'Scan the personal QR code in the app again.',
      },
      refused: {
        title: 'The payment couldn’t be completed',
        detail: 'Try again, or ask staff for help.',
      },
    },
    tryAgain: 'Try again',
    backToBasket: 'Back to basket',
  },

  maintenance: {
    title: 'Out of order',
    detail: 'This checkout is closed for a little while. Please use another one, or ask a member of staff.',
  },

  outOfOrder: {
    title: 'This checkout can’t take payments right now',
    detail: 'Please ask a member of staff for help, or use another checkout.',
    forStaff: 'For staff',
    code: (code) => `Fault code ${code}`,
  },

  unavailable: {
    title: '{app} is temporarily unavailable',
    detail: 'Your basket is kept and you can still scan items. Try again in a moment.',
    tryAgain: 'Try again',
  },

  club: {
    checking: { title: 'Checking your membership…', detail: 'One moment.' },
    offer: {
      title: 'Join the customer club?',
      saves: (amount) => `Members save ${amount} on this basket`,
      noSaving: 'Members get special prices on selected items.',
      detail: 'Joining is free. You confirm in the {app} app and choose what to share.',
      join: 'Join and save',
      skip: 'No thanks, just pay',
    },
    consent: {
      title: 'Confirm in the app',
      detail: 'We sent a request to your phone. Check that it shows this code:',
      code: 'Code',
      timeLeft: 'Time left',
      skip: 'Pay without joining',
      notNow: 'Not now',
      notice: {
        'maybe-sent':
          'A request may be on its way to your phone. If it shows this code, wait — we are checking it arrived:',
        'ignore-request':
          'A request with this code is in your app, but it can’t be completed from here. Please decline it in the app and pay without joining.',
        'already-waiting':
          'A login request is already waiting in your app. Please answer it there first, or pay without joining.',
      },
    },
    outcome: {
      member: 'Member prices applied',
      joined: 'Welcome to the club! Member prices applied.',
      declined: 'Not joined. You pay regular prices.',
      timeout: 'Joining timed out. You pay regular prices.',
      unavailable: 'Member prices are not available right now.',
      'approval-lost':
        'Your approval was lost on the way, so you are not a member yet. Please join again next time. Regular prices today.',
    },
    lineSaving: (amount) => `Member price, you save ${amount}`,
    saved: (amount) => `You saved ${amount}`,
    back: 'Back to basket',
    loginLeftOpen: 'Not joining: regular prices. You can ignore the club request in the app.',
  },

  idle: {
    title: 'Are you still there?',
    detail: 'The basket will be cleared when the time runs out.',
    secondsLeft: (seconds) => (seconds === 1 ? '1 second left' : `${seconds} seconds left`),
    stillHere: 'I’m still here',
  },

  feedback: {
    added: (name) => `${name} added`,
    'unknown-item': (code) =>
      code ? `Unknown item (${code}). Please ask staff.` : 'Unknown item. Please ask staff.',
    'not-recognised': () => 'Code not recognised. Please try again.',
    'scan-incomplete': () => 'The scan was cut off. Please scan again.',
    'scanner-layout': () => 'Scanner keyboard layout is wrong — ask staff',
    'basket-full': () => 'The basket is full',
    customer: () => 'QR code read',
    'out-of-order': () => 'This checkout is out of order. Please use another checkout or ask staff.',
    ignored: () => 'Scanning isn’t possible right now',
    'cashier-scans': () => 'The cashier scans your items. Scan your QR code here when the amount shows.',
    'staff-card-refused': (reason) =>
      en.staff.cardRefused[reason as keyof Messages['staff']['cardRefused']] ?? en.staff.cardRefused.forged,
  },

  training: {
    banner: 'Training mode – no real payment',
    notValid: 'TRAINING RECEIPT – not a valid receipt',
  },
  speech: {
    started:
      'Speech mode is on. Use the next and previous keys to move, select to press, and back to go back. Hold the speech key to hear the last message again.',
    where: {
      attract: 'Start page.',
      basket: 'Your basket.',
      identify: 'Payment.',
      paying: 'Payment.',
      'awaiting-approval': 'Approve on your phone.',
      cancelling: 'Cancelling.',
      capturing: 'Approved.',
      approved: 'Receipt.',
      declined: 'Not paid.',
      unavailable: '{app} is not answering.',
      maintenance: 'Out of order.',
      'club-checking': 'Customer club.',
      'club-offer': 'Customer club.',
      'club-consent': 'Customer club.',
      'out-of-order': 'Out of order.',
      staff: 'Staff mode.',
    },
    attract: 'Scan an item to start. The scanner below the screen reads the barcode.',
    basket: {
      total: (items, amount) => `${items === 1 ? '1 item' : `${items} items`}. To pay: ${amount}.`,
      empty: 'Your basket is empty. Scan an item.',
      line: (quantity, name, amount) => `${quantity} × ${name}, ${amount}.`,
      next: 'Scan more items, or press next to hear the items and reach Pay.',
    },
    identify: {
      next: (amount) =>
        `To pay: ${amount}. Hold the personal QR code in the app up to the scanner, or type your mobile number: press next to reach the digits, and select to type one.`,
      typed: (digits) => (digits ? `Typed: ${digits}.` : 'No digits typed.'),
    },
    posLines: 'Press next to hear the items.',
    paying: 'Sending the payment request. Keep your phone ready.',
    awaitingApproval: (amount, customer) =>
      `Approve ${amount} in the {app} app on your phone` +
      (customer ? `. The request went to the number ending in ${customer}.` : '.') +
      ' Press back to cancel.',
    cancelling: 'Cancelling the payment. Nothing will be charged.',
    capturing: 'Approved. Completing the payment, one moment.',
    approved: (amount, receiptNumber) =>
      `Thank you! ${amount} is paid. Receipt number ${receiptNumber}. The receipt is in the app too.`,
    declined: {
      reasons: {
        rejected: 'The payment was rejected in the app. Nothing was charged.',
        expired: 'Time ran out before the payment was approved. Nothing was charged.',
        cancelled: 'The payment was cancelled. Nothing was charged.',
        'unknown-customer': 'We could not find that number in {app}. Check the number and try again.',
        'invalid-customer': 'The QR code or the number did not work. Please try again.',
        refused: 'The payment could not be completed. Try again, or ask a member of staff.',
      },
      next: 'Your items are still in the basket. Press next to try again.',
    },
    unavailable:
      '{app} is temporarily unavailable. Your basket is kept. Try again in a moment, or ask a member of staff.',
    maintenance:
      'This checkout is closed for a while. Please use another checkout, or ask a member of staff.',
    outOfOrder: 'This checkout cannot take payments right now. Please ask a member of staff for help.',
    club: {
      checking: 'Checking your membership, one moment.',
      offer: (saves) =>
        (saves
          ? `Join the customer club and save ${saves} on this basket.`
          : 'Join the customer club for member prices.') +
        ' It is free. Press next to choose: join, or no thanks.',
      consent: (code) =>
        `We have sent a request to your phone. Check that the app shows the code ${code}, and confirm there.`,
      notice: {
        'maybe-sent': (code) =>
          `A request may be on its way to your phone. If it shows the code ${code}, wait a moment while we check it arrived.`,
        'ignore-request': (code) =>
          `The request with the code ${code} cannot be completed from here. Decline it in the app, and pay without joining.`,
        'already-waiting': () =>
          'A login request is already waiting in your app. Answer it there first, or pay without joining.',
      },
    },
    staff: 'Staff mode is for the store’s staff only.',
    timeLeft: (minutes, seconds) =>
      `${minutes > 0 ? `${minutes} ${minutes === 1 ? 'minute' : 'minutes'} and ` : ''}${seconds} ${seconds === 1 ? 'second' : 'seconds'} left.`,
    idle: (seconds) =>
      `Are you still there? The basket is emptied in ${seconds} seconds. Press any key to carry on.`,
    button: (label) => `${label}, button.`,
    nothingHere: 'Nothing more here.',
  },

  demo: {
    title: 'Demo',
    scanLabel: 'Scan text',
    scan: 'Scan',
    quickPick: 'Quick pick…',
    products: 'Products',
    customers: 'Customers (personal QR)',
    phone: 'Demo phone',
    led: {
      off: 'Status light off',
      green: 'Status light green',
      amber: 'Status light amber',
      red: 'Status light red',
      blue: 'Status light blue',
    },
    keys: {
      title: 'Keys (speech mode)',
      key: {
        speech: 'Speech',
        next: 'Next',
        previous: 'Previous',
        select: 'Select',
        back: 'Back',
        'volume-up': 'Volume up',
        'volume-down': 'Volume down',
      },
    },
    printer: {
      title: 'Receipt printer',
      condition: {
        ready: 'ready',
        'paper-near-end': 'paper nearly out',
        'paper-out': 'out of paper',
        'cover-open': 'cover open',
        offline: 'unplugged',
      },
      set: {
        ready: 'Ready',
        'paper-near-end': 'Paper low',
        'paper-out': 'Paper out',
        'cover-open': 'Open cover',
        offline: 'Unplug',
      },
      paper: 'Paper strip',
      empty: 'Nothing printed yet',
    },
  },

  staff: {
    title: 'Staff mode',
    cardRefused: {
      forged: 'This staff card is not valid here.',
      unknown: 'This staff card belongs to no employee of this kiosk.',
      locked: 'This staff card is locked for 5 minutes after 5 wrong PINs.',
      busy: 'Staff mode opens when the customer has finished paying.',
      off: 'This kiosk has no staff mode.',
    },
    pinTitle: (name) => `PIN for ${name}`,
    pinDetail: 'Type your PIN and press Log in.',
    pinLabel: 'PIN',
    attemptsLeft: (count) => (count === 1 ? '1 try left' : `${count} tries left`),
    wrongPin: (count) =>
      count === 1 ? 'Wrong PIN. 1 try left before the card locks.' : `Wrong PIN. ${count} tries left.`,
    logIn: 'Log in',
    backspace: 'Delete',
    cancel: 'Cancel',
    loggedInAs: (name) => `Logged in: ${name}`,
    xReport: 'X report',
    zReport: 'Z report (close the day)',
    copy: 'Copy of last receipt',
    returnSale: 'Return of a sale',
    training: (on) => (on ? 'Training mode: turn off' : 'Training mode: turn on'),
    outOfOrder: (on) => (on ? 'Out of order: turn off' : 'Out of order: turn on'),
    trainingOn: 'Training mode is on: receipts are not valid receipts.',
    outOfOrderOn: 'The kiosk is out of order for customers.',
    logOut: 'Log out',
    menu: 'Back to menu',
    findTitle: 'Return of a sale',
    findDetail: 'Scan the barcode on the receipt, or type its receipt number.',
    receiptNumber: 'Receipt number',
    find: 'Find',
    pickTitle: (receiptNumber) => `Receipt ${receiptNumber}: what comes back?`,
    refundable: (amount) => `At most ${amount} can be refunded.`,
    returnable: (count) => `${count} can come back`,
    increase: (name) => `One more ${name} back`,
    decrease: (name) => `One less ${name} back`,
    refundTotal: (amount) => `Refund ${amount}`,
    confirmReturn: 'Refund to the customer',
    copyMark: 'KOPI (copy)',
    trainingMark: 'TRAINING – not a valid receipt',
    returnOf: (receiptNumber) => `Return of receipt ${receiptNumber}`,
    total: 'Total',
    vat: (rate) => `VAT ${rate}`,
    refundedWith: (type) => `Refunded with ${type}`,
  },
};
