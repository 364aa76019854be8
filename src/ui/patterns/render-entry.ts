import { html, nothing, type TemplateResult } from 'lit';
import { renderMarkdown } from '../markdown.js';
import { inlineText } from './inline-text.js';
import { exampleHref, patternHref } from './page-route.js';
import type { LibraryId, PatternEntry } from './pattern-types.js';
import { ENTRY_SECTIONS } from './pattern-types.js';

/** How the reference names each library. */
export const LIBRARY_NAMES: Record<LibraryId, string> = {
  resilience4j: 'resilience4j',
  polly: 'Polly v8',
  cockatiel: 'cockatiel',
  opossum: 'opossum',
  amqplib: 'amqplib',
  rabbitmq: 'RabbitMQ',
  eventstoredb: 'EventStoreDB client',
  jose: 'jose',
  'aws-sdk': 'AWS SDKs',
};

/** What an entry needs to name the examples it links to. */
export interface EntryContext {
  /** An example's title by id (the id itself when unknown). */
  exampleTitle(id: string): string;
  /** A pattern's title by id. */
  patternTitle(id: string): string;
}

const heading = Object.fromEntries(ENTRY_SECTIONS) as Record<(typeof ENTRY_SECTIONS)[number][0], string>;

/** `an-exercise-id` as words. */
function words(id: string): string {
  return id.replace(/-/g, ' ');
}

/** The element id of an entry's article (its anchor inside the reference). */
export function entryElementId(id: string): string {
  return `pattern-${id}`;
}

/**
 * One entry of the reference: its sections in the order of
 * {@link ENTRY_SECTIONS}, tables for the parameters and the libraries, and
 * each mistake linked to the example and exercise that show it.
 */
export function renderEntry(entry: PatternEntry, ctx: EntryContext): TemplateResult {
  const id = entry.id;
  return html`<article class="entry" id=${entryElementId(id)} data-pattern=${id} aria-labelledby="title-${id}">
    <h2 id="title-${id}" tabindex="-1">${entry.title}</h2>
    <p class="summary">${entry.summary}</p>
    <p class="aka"><span class="label">Also called:</span> ${entry.aliases.join(', ')}</p>
    <h3>${heading.problem}</h3>
    ${renderMarkdown(entry.problem)}
    <h3>${heading.how}</h3>
    ${renderMarkdown(entry.how)}
    <h3>${heading.use}</h3>
    <div class="use">
      <div>
        <h4>Use it when</h4>
        <ul>
          ${entry.useWhen.map((w) => html`<li>${inlineText(w)}</li>`)}
        </ul>
      </div>
      <div>
        <h4>Avoid it when</h4>
        <ul>
          ${entry.avoidWhen.map((w) => html`<li>${inlineText(w)}</li>`)}
        </ul>
      </div>
    </div>
    <h3>${heading.parameters}</h3>
    <div class="table-wrap" role="region" tabindex="0" aria-label="Parameters of ${entry.title}">
      <table class="parameters">
        <thead>
          <tr>
            <th scope="col">Parameter</th>
            <th scope="col">Start with</th>
            <th scope="col">What it trades</th>
          </tr>
        </thead>
        <tbody>
          ${entry.parameters.map((p) => html`<tr><th scope="row">${p.name}</th><td data-label="Start with">${inlineText(p.start)}</td><td data-label="What it trades">${inlineText(p.tradeOff)}</td></tr>`)}
        </tbody>
      </table>
    </div>
    <h3>${heading.mistakes}</h3>
    <ul class="mistakes">
      ${entry.mistakes.map(
        (m) => html`<li data-example=${m.example} data-exercise=${m.exercise}>
          ${inlineText(m.text)}
          <a class="try" href=${exampleHref(m.example, m.exercise)}>See it in “${ctx.exampleTitle(m.example)}”, exercise “${words(m.exercise)}”</a>
        </li>`,
      )}
    </ul>
    <h3>${heading.libraries}</h3>
    <div class="table-wrap" role="region" tabindex="0" aria-label="${entry.title} in the libraries">
      <table class="libraries">
        <thead>
          <tr>
            <th scope="col">Library</th>
            <th scope="col">How it is spelled</th>
          </tr>
        </thead>
        <tbody>
          ${entry.libraries.map(
            (l) => html`<tr>
              <th scope="row"><a href=${l.docs} target="_blank" rel="noopener">${LIBRARY_NAMES[l.library]}<span class="visually-hidden"> documentation (opens in a new tab)</span></a></th>
              <td>${inlineText(l.spelling)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>
    <h3>${heading.playground}</h3>
    ${renderMarkdown(entry.playground)}
    ${entry.related.length
      ? html`<p class="related">
          <span class="label">Related:</span>
          ${entry.related.map((r, i) => html`${i ? ', ' : nothing}<a href=${patternHref(r)}>${ctx.patternTitle(r)}</a>`)}
        </p>`
      : nothing}
  </article>`;
}
