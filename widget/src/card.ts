// A policy answer as a card: verdict in words with an icon, the clauses it rests on
// (quoted text collapsible, translations marked), the checklist with ticks kept in the
// browser, the offices to contact. Every text from the payload is inserted as text.
import { el, srOnly } from "./dom";
import { type Dictionary, format } from "./i18n";
import type { Citation, ChecklistDocument, PolicyAnswer } from "./messages";

const VERDICT_ICONS: Record<string, string> = {
  eligible: "✓",
  not_eligible: "✗",
  conditional: "◐",
  need_more_info: "?",
  info: "i",
  not_covered: "—",
};

export interface CardContext {
  words: Dictionary;
  /** Whether the document of this answer was ticked, and storing a tick. */
  ticked(documentId: string): boolean;
  tick(documentId: string, done: boolean): void;
  /** A unique id prefix for the elements of this card. */
  idPrefix: string;
}

function docTitle(words: Dictionary, doc: string): string {
  return (words.docs as Record<string, string>)[doc] ?? doc;
}

/** "Liaoning Opinions … clause 7" for "liaoning-2015/7"; the guide's place otherwise. */
function basisText(words: Dictionary, basis: string): string {
  const clause = /^([a-z0-9-]+)\/(\d+)$/.exec(basis);
  if (clause) return `${docTitle(words, clause[1])} ${format(words.clause, { clause: clause[2] })}`;
  const guide = /§[\d.]+\s+([^\s(]+)/.exec(basis);
  return guide ? format(words.guide, { place: guide[1] }) : basis;
}

function citation(words: Dictionary, c: Citation): HTMLElement {
  const heading = el(
    "p",
    { class: "cite-ref" },
    el("span", { class: "cite-doc" }, docTitle(words, c.doc)),
    " · ",
    el("span", { class: "cite-clause" }, format(words.clause, { clause: c.clause })),
    c.title ? el("span", { class: "cite-title" }, ` · ${c.title}`) : null,
  );
  const mark = c.official_text ? null : el("p", { class: "translation-mark" }, words.translation);
  const quote = el(
    "details",
    {},
    el("summary", {}, words.showText),
    el("blockquote", { lang: c.text_lang === "en" ? "en" : "zh-CN" }, c.text),
  );
  return el("li", { "data-testid": "citation", class: "citation" }, heading, mark, quote);
}

function documentItem(context: CardContext, d: ChecklistDocument, index: number): HTMLElement {
  const { words } = context;
  const id = `${context.idPrefix}-doc-${index}`;
  const box = el("input", { type: "checkbox", id });
  box.checked = context.ticked(d.id);
  box.addEventListener("change", () => context.tick(d.id, box.checked));
  const proves = d.proves
    ? `${words.proves}${words.sep}${(words.provesLabels as Record<string, string>)[d.proves] ?? d.proves.replace(/_/g, " ")}`
    : null;
  const details = [proves, d.basis ? `${words.basisOf}${words.sep}${basisText(words, d.basis)}` : null]
    .filter((t): t is string => t !== null)
    .join(" · ");
  return el(
    "li",
    { "data-testid": "document", class: "document" },
    box,
    el("label", { for: id }, el("span", { class: "doc-name" }, d.name)),
    details ? el("p", { class: "doc-details" }, details) : null,
  );
}

export function renderCard(answer: PolicyAnswer, context: CardContext): HTMLElement {
  const { words } = context;
  const verdictWords = (words.verdicts as Record<string, string>)[answer.verdict] ?? answer.verdict;
  const card = el(
    "article",
    {
      class: `card verdict-${answer.verdict.replace(/[^a-z_]/g, "")}`,
      lang: words.htmlLang,
      "aria-label": `${words.verdict}${words.sep}${verdictWords}`,
    },
    el(
      "p",
      { class: "verdict", "data-testid": "verdict", "data-verdict": answer.verdict },
      el("span", { class: "verdict-icon", "aria-hidden": "true" }, VERDICT_ICONS[answer.verdict] ?? "•"),
      srOnly(`${words.verdict}${words.sep}`),
      el("span", {}, verdictWords),
    ),
  );
  if (answer.citations.length) {
    card.append(
      el("h3", {}, words.basis),
      el("ul", { class: "citations" }, ...answer.citations.map((c) => citation(words, c))),
    );
  }
  if (answer.documents.length) {
    card.append(
      el("h3", {}, words.documents),
      el("p", { class: "hint" }, words.checklistHint),
      el("ul", { class: "documents" }, ...answer.documents.map((d, i) => documentItem(context, d, i))),
    );
  }
  if (answer.offices.length) {
    card.append(
      el("h3", {}, words.offices),
      el("ul", { class: "offices" }, ...answer.offices.map((o) => el("li", {}, o.name))),
    );
  }
  return card;
}
