/**
 * The console's kit in one import for its pages: the frame, the page and panel heads, tables and
 * lists, the form layer's client side (a refusal, its problems, what was entered), the page's
 * translator, dates. `import { ConsoleShell, PageHead, Table, useT } from '$lib/console';`
 */
export { default as ConsoleShell } from './ConsoleShell.svelte';
export { default as PageHead } from './PageHead.svelte';
export { default as Section } from './Section.svelte';
export { default as Table } from './Table.svelte';
export { default as List } from './List.svelte';
export { default as Choice } from './Choice.svelte';
export { default as FormErrors } from './FormErrors.svelte';
export { default as Secret } from './Secret.svelte';
export { default as CsvProblems } from './CsvProblems.svelte';
export { default as CsvPreview } from './CsvPreview.svelte';
export { entered, invalid, refusalOf, whileSending, type Refusal } from './form';
export { useT, wordOf } from './i18n.svelte';
export { fmtDateTime, fmtTime } from './format';
export { auditActionLabel, auditActorLabel } from './audit';
export { formNonce } from './nonce';
