import { paymentsContract } from '../checkout/payments-contract.js';

// The innermost Payments: the kiosk's Vipps client itself, whose answers every wrapper passes on.
paymentsContract('Vipps client', async (vipps) => ({ payments: vipps, stop: () => {} }));
