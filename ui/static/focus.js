() => {
  const ending = document.querySelector('#ending');
  if (ending && ending.offsetParent !== null) {
    const next = ending.querySelector('h2');
    if (next) { next.setAttribute('tabindex', '-1'); next.focus(); }
  } else if (!document.activeElement || document.activeElement === document.body) {
    const box = document.querySelector('#answer-box textarea');
    if (box) { box.focus(); }
  }
  return [];
}
