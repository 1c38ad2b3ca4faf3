// Upload of a client's list: first a dry run with the report, then the import.
import { api, ApiError, germanError } from '../api.js';
import { field, h, notice, replace } from '../dom.js';
import { formatDate } from '../format.js';
import { IMPORT_FAILURES, missingColumnsText, unclearAmountText } from './import-failures.js';
import { reportView } from './list-status.js';

/**
 * @param {import('../types.js').Client} client
 * @param {(listId: string) => void} onImported
 */
export function uploadForm(client, onImported) {
  const file = h('input', { type: 'file', name: 'file', accept: '.xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv', required: true });
  const name = h('input', { type: 'text', name: 'name', maxLength: 200, placeholder: 'z. B. Mahnlauf November' });
  const dryRun = h('button', { type: 'submit', class: 'btn btn-secondary' }, 'Probelauf');
  const result = h('div', { class: 'upload-result', 'aria-live': 'polite' });

  const reset = () => replace(result);
  file.addEventListener('change', reset);

  /** @param {boolean} isDryRun @param {boolean} [force] */
  const send = async (isDryRun, force = false) => {
    const chosen = file.files?.[0];
    if (!chosen) throw new Error('Bitte zuerst eine Datei (.xlsx oder .csv) wählen.');
    const form = new FormData();
    form.append('file', chosen);
    const params = new URLSearchParams();
    if (isDryRun) params.set('dryRun', 'true');
    if (force) params.set('force', 'true');
    if (name.value.trim()) params.set('name', name.value.trim());
    return api('POST', `/api/clients/${encodeURIComponent(client.id)}/lists?${params}`, { form });
  };

  /** @param {boolean} force */
  const importNow = async (force) => {
    const buttons = result.querySelectorAll('button');
    buttons.forEach((b) => (b.disabled = true));
    try {
      const res = await send(false, force);
      replace(result, notice('success', 'Import gestartet. Die Liste wird aktiv, sobald alle Zeilen übernommen sind.'));
      file.value = '';
      name.value = '';
      onImported(res.listId);
    } catch (err) {
      buttons.forEach((b) => (b.disabled = false));
      if (err instanceof ApiError && err.code === 'duplicate_file') {
        replace(
          result,
          notice('warning', ...importedBefore(err.details), ' Wirklich noch einmal importieren?'),
          h('div', { class: 'actions' }, h('button', { type: 'button', class: 'btn btn-primary', onclick: () => void importNow(true) }, 'Trotzdem importieren'), h('button', { type: 'button', class: 'btn btn-secondary', onclick: reset }, 'Abbrechen')),
        );
      } else result.prepend(notice('error', uploadError(err)));
    }
  };

  /** @param {SubmitEvent} e */
  const onDryRun = async (e) => {
    e.preventDefault();
    dryRun.disabled = true;
    replace(result, h('p', { class: 'muted' }, 'Datei wird geprüft …'));
    try {
      const { report } = await send(true);
      replace(
        result,
        h('h4', {}, 'Ergebnis des Probelaufs'),
        reportView(report),
        report.accepted > 0
          ? h('div', { class: 'actions' }, h('button', { type: 'button', class: 'btn btn-primary', onclick: () => void importNow(false) }, `Importieren (${report.accepted.toLocaleString('de-DE')} Fälle)`), h('button', { type: 'button', class: 'btn btn-secondary', onclick: reset }, 'Verwerfen'))
          : notice('warning', 'Keine Zeile wäre übernommen worden. Bitte die Datei prüfen.'),
      );
    } catch (err) {
      replace(result, notice('error', uploadError(err)));
    } finally {
      dryRun.disabled = false;
    }
  };

  return h(
    'form',
    { class: 'upload', onsubmit: onDryRun, novalidate: true, 'aria-label': `Liste hochladen für ${client.name}` },
    h('div', { class: 'row row-end' }, field('Datei (.xlsx oder .csv)', file), field('Listenname (optional)', name), dryRun),
    result,
  );
}

/** @param {unknown} err */
function uploadError(err) {
  if (err instanceof Error && !(err instanceof ApiError)) return err.message;
  if (err instanceof ApiError && [400, 409, 413, 415, 422].includes(err.status)) {
    // The most common refusal: said in full from the details, the English adds nothing.
    const missing = err.code === 'missing_columns' ? missingColumnsText(err.details) : err.code === 'unclear_amount' ? unclearAmountText(err.details) : null;
    if (missing) return missing;
    // The server's English detail names what exactly (columns, sheets, limits).
    const known = Object.hasOwn(IMPORT_FAILURES, err.code) ? IMPORT_FAILURES[err.code] : germanError(err);
    return `${known} (Details: ${err.message})`;
  }
  return germanError(err);
}

/**
 * Which list the same file became before, linked (the 409's details: `listId`, `name`,
 * `uploadedAt`); without them, only that it was imported.
 * @param {unknown} details
 * @returns {Array<string | HTMLElement>}
 */
function importedBefore(details) {
  const d = /** @type {{ listId?: unknown, name?: unknown, uploadedAt?: unknown } | null} */ (details && typeof details === 'object' ? details : null);
  if (typeof d?.listId !== 'string' || typeof d.name !== 'string') return ['Diese Datei wurde bereits importiert.'];
  const when = typeof d.uploadedAt === 'string' ? ` vom ${formatDate(d.uploadedAt)}` : '';
  return ['Diese Datei wurde bereits als Liste „', h('a', { href: `#/liste/${d.listId}` }, d.name), `“${when} importiert.`];
}
