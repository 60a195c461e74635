"use strict";
// The page talks to the same API as any client: /readyz and /v1/users to set up, then one streamed
// /v1/chat/completions request per question, read chunk by chunk with fetch + ReadableStream. The questions of one
// conversation are all sent as user turns, so the server combines them into the preference the model reads.
(() => {
  const $ = (id) => document.getElementById(id);
  const els = {
    status: $("status"), user: $("user"), recent: $("recent"), history: $("history"), preference: $("preference"),
    k: $("k"), reasoning: $("reasoning"), apikey: $("apikey"), keybox: $("keybox"), submit: $("submit"), error: $("error"),
    thoughtcard: $("thoughtcard"), thought: $("thought"), thinking: $("thinking"), items: $("items"), meta: $("meta"), used: $("used"),
    turns: $("turns"), restart: $("restart"),
  };
  let turns = [];

  function showTurns() {
    els.turns.replaceChildren(...turns.map((t) => el("li", "", t)));
    els.restart.hidden = turns.length === 0;
  }

  function restart() {
    turns = [];
    showTurns();
  }
  els.restart.addEventListener("click", restart);
  els.apikey.value = localStorage.getItem("mender.apikey") || "";
  els.apikey.addEventListener("change", () => { localStorage.setItem("mender.apikey", els.apikey.value); start(); });

  function headers() {
    const h = { "Content-Type": "application/json" };
    if (els.apikey.value) h["Authorization"] = "Bearer " + els.apikey.value;
    return h;
  }

  async function problem(response) {
    try {
      const body = await response.json();
      return body.detail || body.title || response.statusText;
    } catch {
      return response.status + " " + response.statusText;
    }
  }

  function showError(message) {
    els.error.textContent = message;
    els.error.hidden = !message;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  async function start() {
    try {
      const ready = await fetch("/readyz");
      const info = await ready.json();
      if (!ready.ok) {
        els.status.textContent = info.status === "failed" ? "checkpoint failed to load" : "loading checkpoint…";
        els.status.className = "pill down";
        if (info.status !== "failed") setTimeout(start, 1000);
        return;
      }
      els.status.textContent = `${info.users.toLocaleString()} users · ${info.items.toLocaleString()} items · ` +
        (info.reasoning ? `reasoning with ${info.model}` : "direct mode");
      els.status.className = "pill ready";
      const toggle = els.reasoning.closest(".toggle");
      els.reasoning.disabled = !info.reasoning;
      toggle.classList.toggle("disabled", !info.reasoning);
      if (!info.reasoning) toggle.title = "Start the server with --model MODEL.gguf to enable reasoning";
      await loadUsers();
    } catch (e) {
      els.status.textContent = "server unreachable";
      els.status.className = "pill down";
    }
  }

  async function loadUsers() {
    const response = await fetch("/v1/users?limit=200", { headers: headers() });
    if (response.status === 401) {
      els.keybox.open = true;
      showError("This server needs an API key.");
      return;
    }
    if (!response.ok) { showError(await problem(response)); return; }
    showError("");
    const body = await response.json();
    els.user.length = 1;
    for (const user of body.users) {
      const option = el("option", "", `${user.user_id} (${user.interactions} items)`);
      option.value = user.user_id;
      els.user.append(option);
    }
  }

  els.user.addEventListener("change", async () => {
    restart();
    els.recent.replaceChildren();
    if (!els.user.value) return;
    const response = await fetch("/v1/users/" + encodeURIComponent(els.user.value), { headers: headers() });
    if (!response.ok) return;
    const body = await response.json();
    for (const item of body.recent.slice(0, 6)) {
      const chip = el("span", "chip", item.title);
      chip.title = item.item_id;
      els.recent.append(chip);
    }
  });

  function renderItems(items) {
    els.items.replaceChildren();
    if (!items.length) { els.items.append(el("li", "empty", "No items matched this request.")); return; }
    const top = items[0].score;
    items.forEach((item, i) => {
      const row = el("li", "item");
      row.dataset.itemId = item.item_id;
      row.append(el("span", "rank", String(i + 1)));
      const body = el("div");
      const title = el("div", "title", item.title + " ");
      if (item.cold_start) title.append(el("span", "badge", "new"));
      body.append(title);
      const sub = el("div", "sub");
      sub.append(el("span", "", item.item_id));
      if (item.sid && item.sid.length) sub.append(el("span", "sid", "<" + item.sid.join("-") + ">"));
      body.append(sub);
      if (item.reason) body.append(el("div", "reason", item.reason));
      row.append(body);
      const score = el("div", "score", item.score.toFixed(3));
      const bar = el("span", "bar");
      const fill = el("span");
      fill.style.width = Math.max(3, Math.min(100, 100 * Math.exp(item.score - top))) + "%";
      bar.append(fill);
      score.append(bar);
      row.append(score);
      els.items.append(row);
    });
  }

  function request() {
    const history = els.history.value.split(/[\s,]+/).filter(Boolean);
    const metadata = { k: String(Number(els.k.value) || 10), reasoning: String(els.reasoning.checked) };
    if (history.length) metadata.history = history.join(",");
    const body = {
      model: "mender",
      stream: true,
      messages: (turns.length ? turns : [""]).map((t) => ({ role: "user", content: t })),
      metadata,
    };
    if (els.user.value) body.user = els.user.value;
    return body;
  }

  // Server-sent events arrive in arbitrary slices: keep the tail that is not yet a whole "data: ...\n\n" event.
  async function* events(response) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        for (const line of event.split("\n"))
          if (line.startsWith("data: ")) yield line.slice(6);
      }
    }
  }

  $("ask").addEventListener("submit", async (e) => {
    e.preventDefault();
    showError("");
    const said = els.preference.value.trim();
    if (said) {
      turns.push(said);
      els.preference.value = "";
      showTurns();
    }
    els.submit.disabled = true;
    els.submit.textContent = "Working…";
    els.thought.textContent = "";
    els.thoughtcard.hidden = !els.reasoning.checked;
    els.thinking.hidden = !els.reasoning.checked;
    els.used.hidden = true;
    els.meta.textContent = "";
    const started = performance.now();
    try {
      const response = await fetch("/v1/chat/completions", { method: "POST", headers: headers(), body: JSON.stringify(request()) });
      if (!response.ok) {
        if (response.status === 401) els.keybox.open = true;
        showError(await problem(response));
        return;
      }
      for await (const data of events(response)) {
        if (data === "[DONE]") break;
        const chunk = JSON.parse(data);
        if (chunk.error) { showError(chunk.error.message); break; }
        const delta = chunk.choices && chunk.choices[0] ? chunk.choices[0].delta : {};
        if (delta.reasoning_content) {
          els.thought.textContent += delta.reasoning_content;
          els.thought.scrollTop = els.thought.scrollHeight;
        }
        const extra = chunk.recommendations;
        if (extra && extra.preference) {
          els.used.replaceChildren("Preference used: ", el("b", "", extra.preference));
          els.used.hidden = false;
        }
        if (extra && extra.items) {
          renderItems(extra.items);
          const seconds = ((performance.now() - started) / 1000).toFixed(2);
          els.meta.textContent = `${extra.items.length} items · ${extra.mode} mode · ${seconds} s`;
          if (extra.notes && extra.notes.length) els.meta.textContent += " · " + extra.notes.join("; ");
        }
      }
    } catch (err) {
      showError("The request failed: " + err.message);
    } finally {
      els.thinking.hidden = true;
      els.submit.disabled = false;
      els.submit.textContent = "Recommend";
    }
  });

  start();
})();
