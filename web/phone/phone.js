// The participants' page. Follows the room over Server-Sent Events, sends a vote when both
// levels are chosen, and says "in" only when the server has stored it; retries while the
// connection is down. Every text from the server is set as textContent, never as HTML.
// Its words come with the page, in the phone's language (web/phone_words.py); it has none of its own.
"use strict";

const $ = (id) => document.getElementById(id);
const WORDS = JSON.parse(document.getElementById("words").textContent);
// A word with its {slots} filled in (the result is set as text, never as HTML).
const t = (key, values) => (WORDS[key] || key).replace(/\{(\w+)\}/g, (all, name) =>
  values && name in values ? String(values[name]) : all);
const levelWord = (level) => WORDS["level:" + level] || level;
// What the room says: the phone's own words for it when it has them, else the server's.
const roomSays = (view) => (view.say && WORDS[view.say]) || view.message || "";
const state = {
  code: "", view: null, risk: null, chosen: { likelihood: null, impact: null },
  sent: null, sending: 0, retry: null, source: null,
};

function show(id, visible) { $(id).hidden = !visible; }

function say(text, kind) {
  const status = $("status");
  status.textContent = text || "";
  status.className = "status" + (kind ? " " + kind : "");
}

function connection(text) {
  $("connection").textContent = text || "";
  show("connection", !!text);
}

function askForCode(problem) {
  if (state.source) { state.source.close(); state.source = null; }
  show("room", false); show("ended", false); show("code-form", true);
  $("code-problem").textContent = problem || "";
  show("code-problem", !!problem);
  $("code").value = "";
  $("code").focus();
  document.body.dataset.state = "code";
}

function levelButtons(field, levels) {
  const box = $(field).querySelector(".levels");
  if (box.childElementCount !== levels.length) {
    box.replaceChildren(...levels.map((level) => {
      const button = document.createElement("button");
      button.type = "button";
      button.setAttribute("role", "radio");
      button.dataset.level = level;
      button.textContent = levelWord(level);
      button.addEventListener("click", () => choose(field, level));
      return button;
    }));
  }
  for (const button of box.children) {
    button.setAttribute("aria-checked", String(state.chosen[field] === button.dataset.level));
  }
}

function render() {
  const view = state.view;
  if (!view) return;
  document.body.dataset.state = view.state;
  if (view.state === "unknown") { askForCode(roomSays(view)); return; }
  if (view.state === "closed") {
    show("room", false); show("code-form", false); show("ended", true);
    $("ended").textContent = roomSays(view);
    if (state.source) { state.source.close(); state.source = null; }
    return;
  }
  if (view.state === "trouble") { connection(roomSays(view)); return; }
  connection("");
  if (view.state === "waiting") {  // nothing to rate now (the facilitator shows the heat map)
    show("code-form", false); show("ended", false); show("room", true); show("pickers", false);
    state.risk = null; delete document.body.dataset.risk;
    $("risk-heading").textContent = ""; $("statement").textContent = "";
    say(roomSays(view), "info");
    return;
  }
  show("code-form", false); show("ended", false); show("room", true);
  if (view.risk !== state.risk) {
    state.risk = view.risk;
    state.chosen = { likelihood: null, impact: null };
    state.sent = null;
    clearTimeout(state.retry);
    say("");
    restoreMine(view.risk);
  }
  document.body.dataset.risk = String(view.risk);
  $("risk-heading").textContent = t("risk_heading", { number: view.risk });
  $("statement").textContent = (view.statements && view.statements[WORDS.lang]) || view.statement;
  levelButtons("likelihood", view.levels);
  levelButtons("impact", view.levels);
  show("pickers", view.state === "voting");
  if (view.state === "revealed") {
    say(t("revealed", { count: view.count }), "info");
  } else if (!state.sent && !state.sending && !$("status").textContent) {
    say(t("choose"));
  }
}

async function restoreMine(risk) {
  delete document.body.dataset.restored;
  try {
    const answer = await fetch("/join/me?code=" + encodeURIComponent(state.code) + "&risk=" + risk,
                               { credentials: "same-origin", cache: "no-store" });
    const mine = await answer.json();
    if (state.risk === risk && mine.likelihood && !state.chosen.likelihood && !state.chosen.impact) {
      state.chosen = { likelihood: mine.likelihood, impact: mine.impact };
      state.sent = { ...state.chosen };
      render();
      sayIn();
    }
  } catch (error) { /* offline: the choices start empty */ }
  if (state.risk === risk) document.body.dataset.restored = String(risk);  // this phone's own vote is shown
}

function sayIn() {
  say(t("rating_in", { likelihood: levelWord(state.sent.likelihood), impact: levelWord(state.sent.impact) }), "ok");
}

function choose(field, level) {
  if (!state.view || state.view.state !== "voting") return;
  clearTimeout(state.retry);  // a retry of the earlier choice must not go out now
  state.chosen[field] = state.chosen[field] === level ? null : level;
  render();
  if (state.chosen.likelihood && state.chosen.impact) send(0);
  else if (state.sent) say(t("choose_both", { likelihood: levelWord(state.sent.likelihood),
                                               impact: levelWord(state.sent.impact) }), "info");
}

async function send(attempt) {
  clearTimeout(state.retry);
  if (state.inFlight) { state.queued = true; return; }  // one vote on the wire at a time, the latest next
  const vote = { code: state.code, risk: state.risk, likelihood: state.chosen.likelihood,
                 impact: state.chosen.impact, lang: WORDS.lang };
  const mine = ++state.sending;
  document.body.dataset.sending = "yes";
  say(attempt ? t("retrying") : t("sending"), attempt ? "problem" : "sending");
  let answer = null;
  state.inFlight = true;
  try {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 8000);
    answer = await fetch("/join/vote", {
      method: "POST", credentials: "same-origin", cache: "no-store", signal: controller.signal,
      headers: { "content-type": "application/json" }, body: JSON.stringify(vote),
    });
    clearTimeout(timer);
  } catch (error) { answer = null; }
  state.inFlight = false;
  if (state.queued) {  // the person tapped again meanwhile: send what is chosen now
    state.queued = false;
    if (state.chosen.likelihood && state.chosen.impact) { send(0); return; }
  }
  if (mine !== state.sending) return;  // a newer tap is on its way
  const stillWanted = vote.risk === state.risk && vote.likelihood === state.chosen.likelihood &&
                      vote.impact === state.chosen.impact;
  if (!stillWanted) { state.sending = 0; delete document.body.dataset.sending; return; }
  if (answer && answer.ok) {
    state.sending = 0; delete document.body.dataset.sending;
    if (state.lostSend) { state.lostSend = false; connection(""); }
    state.sent = { likelihood: vote.likelihood, impact: vote.impact };
    sayIn();
    return;
  }
  let message = null;
  if (answer) { try { message = (await answer.json()).message; } catch (error) { message = null; } }
  if (answer && answer.status !== 503 && answer.status < 500) {
    state.sending = 0; delete document.body.dataset.sending;
    say((message || t("not_counted")) + (state.sent ? "" : " " + t("tap_again")), "problem");
    return;
  }
  const wait = Math.min(8000, 1000 * 2 ** attempt);  // no connection, or the server is busy: try again
  if (!answer) { state.lostSend = true; connection(t("no_connection")); }
  say((message ? message + " " : "") + t("retrying"), "problem");
  state.retry = setTimeout(() => send(attempt + 1), wait);
}

function follow() {
  if (state.source) state.source.close();
  const source = new EventSource("/join/events?code=" + encodeURIComponent(state.code) +
                                 "&lang=" + encodeURIComponent(WORDS.lang));
  state.source = source;
  source.addEventListener("view", (event) => {
    connection("");
    state.view = JSON.parse(event.data);
    render();
  });
  source.addEventListener("open", () => connection(""));
  source.addEventListener("error", () => {
    if (source.readyState === EventSource.CLOSED) {
      if (!state.view) askForCode(t("code_failed"));
      else { connection(t("reconnecting")); setTimeout(follow, 2000); }
    } else {
      connection(t("reconnecting"));
    }
  });
}

function start(code) {
  state.code = code.trim().toUpperCase();
  const address = new URL(window.location.href);
  address.searchParams.set("code", state.code);
  window.history.replaceState(null, "", address);
  show("code-form", false);
  follow();
}

window.addEventListener("offline", () => connection(t("offline")));
window.addEventListener("online", () => { connection(""); if (!state.source || state.source.readyState === EventSource.CLOSED) follow(); });
document.addEventListener("DOMContentLoaded", () => {
  $("code-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const typed = $("code").value.trim();
    if (typed) start(typed);
  });
  const given = new URL(window.location.href).searchParams.get("code");
  if (given && /^[A-Za-z0-9]{4,12}$/.test(given.trim())) start(given);
  else askForCode(given ? t("not_a_code") : "");
});
