// The widget's style sheet, inside its shadow root (the host page's styles do not reach
// it). Sizes in rem/em so that text zoom to 200 % works; `--hw-color` is configurable.
export const STYLES = `
:host { all: initial; }
.root { --hw-color: #0b4f8a; --hw-text: #1a1a1a; --hw-muted: #4a4a4a; --hw-bg: #ffffff;
  --hw-bot: #eef2f6; font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", "PingFang SC",
  "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; color: var(--hw-text); }
.sr-only { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
button, input, textarea { font: inherit; }
:focus-visible { outline: 3px solid #c75000; outline-offset: 2px; }
.launcher { position: fixed; bottom: 1rem; right: 1rem; z-index: 2147483000;
  background: var(--hw-color); color: #fff; border: 0; border-radius: 2rem;
  padding: 0.75em 1.25em; font-weight: 600; cursor: pointer;
  box-shadow: 0 2px 8px rgba(0,0,0,.3); }
.left .launcher, .left .panel.floating { right: auto; left: 1rem; }
.panel { display: flex; flex-direction: column; background: var(--hw-bg);
  border: 1px solid #8a8a8a; border-radius: 0.5rem; overflow: hidden; }
.panel.floating { position: fixed; bottom: 1rem; right: 1rem; z-index: 2147483001;
  width: min(26rem, calc(100vw - 2rem)); height: min(40rem, calc(100vh - 2rem));
  box-shadow: 0 4px 24px rgba(0,0,0,.3); }
.panel.inline { width: 100%; height: min(44rem, 85vh); min-height: 22rem; }
.panel[hidden], .launcher[hidden] { display: none; }
header { background: var(--hw-color); color: #fff; padding: 0.5rem 0.75rem;
  display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
header h2 { font-size: 1.05em; margin: 0; flex: 1 1 0; }
header .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; flex: 1 1 100%; }
.inline header .actions { flex: 0 1 auto; }
header button { background: transparent; color: #fff; border: 1px solid #fff;
  border-radius: 0.25rem; padding: 0.2em 0.6em; cursor: pointer; }
.log { position: relative; flex: 1; overflow-y: auto; padding: 0.75rem; display: flex; flex-direction: column;
  gap: 0.6rem; }
.msg { max-width: 92%; padding: 0.5em 0.75em; border-radius: 0.6rem;
  white-space: pre-wrap; overflow-wrap: anywhere; }
.msg.user { align-self: flex-end; background: var(--hw-color); color: #fff; }
.msg.bot { align-self: flex-start; background: var(--hw-bot); }
.quick-replies { display: flex; flex-wrap: wrap; gap: 0.4rem; margin: 0; padding: 0;
  list-style: none; }
.quick-replies button { background: #fff; color: var(--hw-color); border: 2px solid var(--hw-color);
  border-radius: 1rem; padding: 0.25em 0.8em; cursor: pointer; }
.card { align-self: stretch; border: 1px solid #8a8a8a; border-left: 0.4rem solid #555;
  border-radius: 0.5rem; padding: 0.5rem 0.75rem; background: #fff; }
.card h3 { font-size: 0.95em; margin: 0.6em 0 0.2em; }
.card ul { margin: 0; padding-left: 1.1em; }
.card .documents { list-style: none; padding-left: 0; }
.card .documents li { margin: 0.3em 0; }
.card .documents input { width: 1.1em; height: 1.1em; margin-right: 0.4em; vertical-align: -0.15em; }
.verdict { font-weight: 700; font-size: 1.05em; margin: 0; }
.verdict-icon { display: inline-block; min-width: 1.4em; text-align: center; margin-right: 0.3em;
  border-radius: 50%; background: #555; color: #fff; }
.verdict-eligible { border-left-color: #1b6e20; } .verdict-eligible .verdict-icon { background: #1b6e20; }
.verdict-not_eligible { border-left-color: #a4161a; } .verdict-not_eligible .verdict-icon { background: #a4161a; }
.verdict-conditional { border-left-color: #8a5300; } .verdict-conditional .verdict-icon { background: #8a5300; }
.verdict-need_more_info { border-left-color: #0b4f8a; } .verdict-need_more_info .verdict-icon { background: #0b4f8a; }
.cite-ref { margin: 0.2em 0; } .cite-doc { font-weight: 600; }
.translation-mark { display: inline-block; margin: 0.1em 0; font-size: 0.85em; color: #6b3d00;
  border: 1px solid #6b3d00; border-radius: 0.25rem; padding: 0 0.3em; }
details summary { cursor: pointer; color: var(--hw-color); }
blockquote { margin: 0.3em 0; padding-left: 0.6em; border-left: 3px solid #8a8a8a;
  color: var(--hw-muted); white-space: pre-wrap; }
.hint, .doc-details { font-size: 0.85em; color: var(--hw-muted); margin: 0.1em 0 0.1em 1.6em; }
.hint { margin-left: 0; }
.feedback { display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: center; margin-top: 0.5em;
  font-size: 0.9em; }
.feedback button { background: #fff; border: 1px solid var(--hw-color); color: var(--hw-color);
  border-radius: 0.25rem; padding: 0.15em 0.6em; cursor: pointer; }
.feedback button[aria-pressed="true"] { background: var(--hw-color); color: #fff; }
.feedback textarea { flex: 1 1 100%; min-height: 3em; }
.typing { align-self: flex-start; color: var(--hw-muted); font-style: italic; }
.error { background: #fdecea; color: #7a1010; border: 1px solid #a4161a; border-radius: 0.4rem;
  padding: 0.5em 0.75em; display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; }
.error button { background: #a4161a; color: #fff; border: 0; border-radius: 0.25rem;
  padding: 0.2em 0.8em; cursor: pointer; }
form { display: flex; gap: 0.5rem; padding: 0.5rem; border-top: 1px solid #8a8a8a;
  align-items: flex-end; flex-wrap: wrap; }
form .field { flex: 1 1 12rem; display: flex; flex-direction: column; }
form input { border: 1px solid #6a6a6a; border-radius: 0.3rem; padding: 0.45em 0.6em; }
.counter { font-size: 0.8em; color: var(--hw-muted); align-self: flex-end; }
.counter.full { color: #a4161a; font-weight: 600; }
form button { background: var(--hw-color); color: #fff; border: 0; border-radius: 0.3rem;
  padding: 0.5em 1em; cursor: pointer; font-weight: 600; }
@media (max-width: 30rem) {
  .panel.floating { right: 0; left: 0; bottom: 0; width: 100vw; height: 100vh; border-radius: 0; }
  .left .panel.floating { left: 0; }
}
@media (prefers-reduced-motion: no-preference) {
  .msg, .card { animation: hw-in 0.15s ease-out; }
  @keyframes hw-in { from { opacity: 0; transform: translateY(0.3rem); } }
}
`;
