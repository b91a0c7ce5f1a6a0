// Runs inside the kiosk page (plain JavaScript, loaded as is: no build step may rename anything here).
// Changes a basket line's quantity over the daemon's WebSocket and times each change to the frame that
// shows it.
window.measurePixels = async (gtin, count) => {
  const find = (root, selector) => {
    const hit = root.querySelector(selector);
    if (hit) return hit;
    for (const el of root.querySelectorAll('*')) {
      const inner = el.shadowRoot ? find(el.shadowRoot, selector) : null;
      if (inner) return inner;
    }
    return null;
  };
  // As the screen does (contracts/screen-auth.ts): the token from the page's fragment, as a subprotocol.
  const token = new URLSearchParams(location.hash.slice(1)).get('screen-token');
  const socket = new WebSocket(`${location.origin.replace('http', 'ws')}/api/ws`, [
    'vipps-kiosk.screen',
    `screen-token.${token}`,
  ]);
  await new Promise((resolve) => socket.addEventListener('open', resolve, { once: true }));
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const results = [];
  for (let i = 0; i < count; i++) {
    const quantity = (i % 2) + 2;
    const started = performance.now();
    socket.send(JSON.stringify({ type: 'intent', intent: { type: 'set-quantity', gtin, quantity } }));
    // Checked at each frame: the new quantity cannot be on screen before the frame that draws it.
    for (;;) {
      await frame();
      if (find(document, `[data-testid="line-${gtin}-quantity"]`)?.textContent?.trim() === String(quantity))
        break;
    }
    // That frame is painted once its animation-frame callbacks are done; a task queued now runs after it.
    await new Promise((resolve) => setTimeout(resolve, 0));
    results.push(performance.now() - started);
  }
  socket.close();
  return results;
};
