/* global document, window, CSS */
// leakwatch dashboard: light progressive enhancement, served from the same origin (the CSP
// allows no inline script). Every page works without it.
'use strict';

document.addEventListener('DOMContentLoaded', () => {
  // Times are printed in UTC; the tooltip gives the reader's local time.
  for (const t of document.querySelectorAll('time[datetime]')) {
    const d = new Date(t.getAttribute('datetime'));
    if (!Number.isNaN(d.getTime())) t.title = d.toLocaleString();
  }

  // <input data-filter="cls">: hides rows of table.cls that do not contain the text.
  for (const input of document.querySelectorAll('input[data-filter]')) {
    const cls = input.getAttribute('data-filter');
    input.addEventListener('input', () => {
      const q = input.value.trim().toLowerCase();
      for (const table of document.querySelectorAll('table.' + CSS.escape(cls))) {
        for (const row of table.tBodies[0] ? table.tBodies[0].rows : []) {
          row.classList.toggle('hidden', q !== '' && !row.textContent.toLowerCase().includes(q));
        }
      }
    });
  }

  // Acknowledging is recorded with your name: ask once.
  for (const form of document.querySelectorAll('form.ack')) {
    form.addEventListener('submit', (e) => {
      if (!window.confirm('Acknowledge this alert as handled? This is recorded with your name.')) e.preventDefault();
    });
  }
});
