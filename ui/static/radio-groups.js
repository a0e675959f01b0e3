() => {
  const groups = '#feedback-rating, #self-id-sex, #self-id-race';
  const radios = (g) => [...g.querySelectorAll('input[type=radio]')];
  const sync = () => document.querySelectorAll(groups).forEach((g) => {
    const all = radios(g);
    const on = all.find((r) => r.checked) || all[0];
    all.forEach((r) => { r.tabIndex = r === on ? 0 : -1; });
  });
  new MutationObserver(sync).observe(document.body, {subtree: true, childList: true,
    attributes: true, attributeFilter: ['class', 'style', 'hidden']});
  document.addEventListener('change', sync, true);
  document.addEventListener('keydown', (ev) => {
    const g = ev.target.closest ? ev.target.closest(groups) : null;
    const step = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1}[ev.key];
    if (!g || ev.target.type !== 'radio' || !step) { return; }
    ev.preventDefault();
    const all = radios(g);
    const next = all[(all.indexOf(ev.target) + step + all.length) % all.length];
    next.focus();
    next.click();
  });
  sync();
  return [];
}
