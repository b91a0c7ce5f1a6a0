import { BasketTable } from './basket-table.js';
import { CashierApp } from './cashier-app.js';

// Children before the app, so its first render already has every element.
customElements.define('basket-table', BasketTable);
customElements.define('cashier-app', CashierApp);
