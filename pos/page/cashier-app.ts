import { html, LitElement, nothing, type PropertyDeclarations } from 'lit';
import type { RegisterAction, RegisterModel } from '../sale/register-model.js';
import type { ActionEvent } from './action-event.js';
import { formatMoney } from './format.js';
import { CASHIER_CATALOGS, type CashierLanguage, type CashierMessages } from './i18n/index.js';
import { cashierStyles } from './styles.js';

const LANGUAGE_KEY = 'vipps-kiosk-pos-language';

/**
 * The cashier's page: a view of the sale `pos serve` holds. The model arrives as server-sent events (the
 * browser reconnects by itself); what the cashier does goes back as actions. The scan field keeps the
 * focus, so a keyboard-wedge scanner's text and Enter always land in it.
 */
export class CashierApp extends LitElement {
  static override properties: PropertyDeclarations = {
    model: { state: true },
    connected: { state: true },
    language: { state: true },
  };
  static override styles = [cashierStyles];

  declare model: RegisterModel | null;
  declare connected: boolean;
  declare language: CashierLanguage;
  private events?: EventSource;

  constructor() {
    super();
    this.model = null;
    this.connected = false;
    this.language = localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'nb';
    this.addEventListener('register-action', (event: ActionEvent) => void this.act(event.action));
  }

  private get t(): CashierMessages {
    return CASHIER_CATALOGS[this.language];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.events = new EventSource('api/events');
    this.events.onopen = () => {
      this.connected = true;
    };
    this.events.onerror = () => {
      this.connected = false;
    };
    this.events.onmessage = (message: MessageEvent<string>) => {
      this.model = JSON.parse(message.data) as RegisterModel;
    };
  }

  override disconnectedCallback(): void {
    this.events?.close();
    super.disconnectedCallback();
  }

  override updated(): void {
    document.documentElement.lang = this.language;
    document.title = this.t.title;
    // Back to the scan field unless the cashier is typing somewhere else (a phone number, a quantity).
    const active = this.renderRoot instanceof ShadowRoot ? this.renderRoot.activeElement : null;
    if (active === null || active.tagName === 'BUTTON') this.scanField()?.focus();
  }

  private scanField(): HTMLInputElement | null {
    return this.renderRoot.querySelector<HTMLInputElement>('#scan');
  }

  private async act(action: RegisterAction): Promise<void> {
    // The answer is the model, which arrives as an event; a refusal is in it as the notice.
    await fetch('api/actions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(action),
    }).catch(() => {
      this.connected = false;
    });
  }

  private submitScan(event: SubmitEvent): void {
    event.preventDefault();
    const field = this.scanField();
    if (!field || field.value.trim() === '') return;
    void this.act({ type: 'scan', text: field.value });
    field.value = '';
  }

  private submitPhone(event: SubmitEvent): void {
    event.preventDefault();
    const field = this.renderRoot.querySelector<HTMLInputElement>('#phone');
    if (!field || field.value.trim() === '') return;
    void this.act({ type: 'phone', phoneNumber: field.value });
    field.value = '';
  }

  private switchLanguage(): void {
    this.language = this.language === 'nb' ? 'en' : 'nb';
    localStorage.setItem(LANGUAGE_KEY, this.language);
  }

  override render() {
    const { t, model } = this;
    return html`<header>
        <h1>${t.title}</h1>
        <button type="button" data-testid="language" lang=${this.language === 'nb' ? 'en' : 'nb'} @click=${this.switchLanguage}>
          ${t.switchTo}
        </button>
      </header>
      ${
        this.connected && model
          ? this.renderSale(model)
          : html`<p role="status" class="status" data-testid="connection">
            ${model ? t.disconnected : t.connecting}
          </p>`
      }`;
  }

  private renderSale(model: RegisterModel) {
    const { t } = this;
    const payment = model.payment;
    const running = payment !== null && !payment.final;
    const locked = model.locked;
    const problem =
      model.notice !== null && model.notice.kind !== 'added' && model.notice.kind !== 'customer-scanned';
    return html`<main>
      <div>
        <section aria-labelledby="scan-label">
          <form class="row" @submit=${this.submitScan}>
            <label id="scan-label" for="scan" style="flex-basis: 100%">${t.scan.label}</label>
            <input id="scan" data-testid="scan-input" autocomplete="off" spellcheck="false" aria-describedby="scan-hint" />
            <button type="submit">${t.scan.add}</button>
          </form>
          <p id="scan-hint" class="hint">${t.scan.hint}</p>
          <p class="notice" role="status" data-testid="notice" data-tone=${problem ? 'problem' : 'info'}>
            ${model.notice ? t.notice(model.notice) : nothing}
          </p>
        </section>
        <section aria-labelledby="basket-title">
          <h2 id="basket-title">${t.basket.title}</h2>
          <basket-table .basket=${model.basket} .currency=${model.currency} .t=${t} ?locked=${locked}></basket-table>
        </section>
      </div>
      <div>
        ${this.renderPayment(model, running)} ${this.renderCustomer(model, locked)} ${this.renderClub(model, locked)}
      </div>
    </main>`;
  }

  private renderPayment(model: RegisterModel, running: boolean) {
    const { t } = this;
    const payment = model.payment;
    const tone = payment?.status === 'completed' ? 'good' : payment?.final ? 'bad' : 'info';
    // No payment while the cashier's club enrolment runs: the terminal takes one thing at a time.
    const canSend =
      model.basket.lines.length > 0 &&
      !running &&
      payment?.status !== 'completed' &&
      model.club?.state !== 'enrolling';
    return html`<section aria-labelledby="payment-title">
      <h2 id="payment-title">${t.payment.title}</h2>
      <p class="amount" data-testid="payment-amount">
        ${formatMoney(payment?.amount ?? model.basket.total, model.currency, t.locale)}
      </p>
      <p class="status" role="status" data-testid="payment-status" data-status=${payment?.status ?? 'none'} data-tone=${tone}>
        ${payment ? (payment.aborting ? t.payment.aborting : t.payment.status[payment.status]) : nothing}
        ${payment?.declineReason ? html`<span data-testid="payment-detail">${t.payment.declineReason[payment.declineReason]}</span>` : nothing}
        ${payment?.abortTooLate ? html`<span data-testid="payment-detail">${t.payment.abortTooLate}</span>` : nothing}
      </p>
      ${payment ? html`<p class="muted" data-testid="payment-id">${t.payment.id(payment.id)}</p>` : nothing}
      <div class="actions">
        <button type="button" class="primary" data-testid="send-payment" ?disabled=${!canSend} @click=${() => this.act({ type: 'send' })}>
          ${t.payment.send}
        </button>
        <button type="button" data-testid="abort-payment" ?disabled=${!running || payment?.aborting} @click=${() => this.act({ type: 'abort' })}>
          ${t.payment.abort}
        </button>
        <button type="button" data-testid="next-sale" ?disabled=${running} @click=${() => this.act({ type: 'next-sale' })}>
          ${t.payment.next}
        </button>
      </div>
    </section>`;
  }

  private renderCustomer(model: RegisterModel, locked: boolean) {
    const { t } = this;
    const customer = model.customer;
    const says =
      customer === null
        ? t.customer.none
        : customer.kind === 'personal-qr'
          ? t.customer.personalQr
          : t.customer.phone(customer.phoneNumber);
    return html`<section aria-labelledby="customer-title">
      <h2 id="customer-title">${t.customer.title}</h2>
      <p data-testid="customer">${says}</p>
      <form class="row" @submit=${this.submitPhone}>
        <label for="phone" style="flex-basis: 100%">${t.customer.phoneLabel}</label>
        <input id="phone" type="tel" autocomplete="off" data-testid="phone-input" ?disabled=${locked} />
        <button type="submit" data-testid="use-phone" ?disabled=${locked}>${t.customer.usePhone}</button>
      </form>
      ${
        customer
          ? html`<div class="actions">
            <button type="button" data-testid="clear-customer" ?disabled=${locked} @click=${() => this.act({ type: 'clear-customer' })}>
              ${t.customer.clear}
            </button>
          </div>`
          : nothing
      }
    </section>`;
  }

  private renderClub(model: RegisterModel, locked: boolean) {
    const { t } = this;
    const phone = model.customer?.kind === 'phone';
    const club = model.club;
    const busy = club?.state === 'checking' || club?.state === 'enrolling';
    const settled = club?.state === 'member';
    return html`<section aria-labelledby="club-title">
      <h2 id="club-title">${t.club.title}</h2>
      <p data-testid="club-status" data-state=${club?.state ?? 'none'}>
        ${club ? t.club.state(club) : phone ? nothing : t.club.needsPhone}
      </p>
      ${
        club?.state === 'enrolling' && club.bindingMessage !== null
          ? html`<p class="code">
            ${t.club.code}: <strong data-testid="enrolment-code">${club.bindingMessage}</strong>
          </p>`
          : nothing
      }
      <div class="actions">
        <button
          type="button"
          data-testid="request-membership"
          ?disabled=${!phone || locked || busy || settled}
          @click=${() => this.act({ type: 'request-membership' })}
        >
          ${t.club.request}
        </button>
        ${
          club?.state === 'not-member'
            ? html`<button type="button" data-testid="enrol" ?disabled=${locked} @click=${() => this.act({ type: 'enrol' })}>
              ${t.club.enrol}
            </button>`
            : nothing
        }
        ${
          club?.state === 'enrolling'
            ? html`<button
              type="button"
              data-testid="abort-enrolment"
              ?disabled=${club.aborting}
              @click=${() => this.act({ type: 'abort-enrolment' })}
            >
              ${t.club.abortEnrolment}
            </button>`
            : nothing
        }
      </div>
    </section>`;
  }
}
